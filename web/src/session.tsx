// Who is signed in: the session the API shows for the cookie (none: the login page).
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, must, setCsrfToken, type Session } from './api.ts';

interface SessionState {
  session: Session | undefined;
  loading: boolean;
  signIn(apiKey: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

async function currentSession(): Promise<Session | null> {
  const { data, response } = await api.GET('/v1/sessions/current');
  if (!response.ok || !data) return null;
  setCsrfToken(data.csrfToken);
  return data;
}

/** Another user's data must not show: every cached answer goes, except the session query itself (its observer stays attached). */
function forgetEverythingBut(queries: QueryClient, key: string): void {
  queries.removeQueries({ predicate: (query) => query.queryKey[0] !== key });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const { data, isPending } = useQuery({ queryKey: ['session'], queryFn: currentSession, staleTime: 60_000 });
  const state: SessionState = {
    session: data ?? undefined,
    loading: isPending,
    async signIn(apiKey) {
      // The key goes to the API once, as a Bearer; from then on the httpOnly cookie stands for it.
      const session = await must(api.POST('/v1/sessions', { body: {}, headers: { authorization: `Bearer ${apiKey}` } }));
      setCsrfToken(session.csrfToken);
      forgetEverythingBut(queries, 'session');
      queries.setQueryData(['session'], session);
    },
    async signOut() {
      await api.DELETE('/v1/sessions/current');
      setCsrfToken(undefined);
      forgetEverythingBut(queries, 'session');
      queries.setQueryData(['session'], null);
    },
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** What a role may open, as the API decides it (admin and exceptions have every ops right). */
export function isOps(session: Session | undefined): boolean {
  return session !== undefined && ['ops', 'exceptions', 'admin'].includes(session.role);
}

export function canActOnOrders(session: Session | undefined): boolean {
  return session !== undefined && ['exceptions', 'admin'].includes(session.role);
}
