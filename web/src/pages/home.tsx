// Where a signed-in user lands: the board for ops, an associate's first location's queue,
// the orders they may see for everyone else.
import { Navigate } from 'react-router';
import { isOps, useSession } from '../session.tsx';

export function HomePage() {
  const { session } = useSession();
  const firstLocation = session?.locationIds?.[0];
  if (session?.role === 'associate' && firstLocation) return <Navigate to={`/locations/${encodeURIComponent(firstLocation)}/queue`} replace />;
  return <Navigate to={isOps(session) ? '/board' : '/orders'} replace />;
}
