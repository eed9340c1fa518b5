// Where a signed-in user lands: the board for ops, an associate's first location's queue,
// the orders they may see for everyone else.
import { Navigate } from 'react-router';
import { isOps, useSession } from '../session.tsx';

export function HomePage() {
  const { session } = useSession();
  if (session?.role === 'carrier') {
    return (
      <section aria-labelledby="carrier-title">
        <h1 id="carrier-title">Nothing to do here for a carrier key</h1>
        <p>A carrier's key sends tracking events to the API (<code>POST /v1/carriers/&#123;carrier&#125;/events</code>); it opens no console pages.</p>
      </section>
    );
  }
  const firstLocation = session?.locationIds?.[0];
  if (session?.role === 'associate' && firstLocation) return <Navigate to={`/locations/${encodeURIComponent(firstLocation)}/queue`} replace />;
  return <Navigate to={isOps(session) ? '/board' : '/orders'} replace />;
}
