// Where a signed-in user lands: the board for ops, the orders they may see for everyone else.
import { Navigate } from 'react-router';
import { isOps, useSession } from '../session.tsx';

export function HomePage() {
  const { session } = useSession();
  return <Navigate to={isOps(session) ? '/board' : '/orders'} replace />;
}
