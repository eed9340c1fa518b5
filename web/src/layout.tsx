// The frame around every signed-in page: navigation for the role, who is signed in, sign out.
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isOps, useSession } from './session.tsx';

export function Layout() {
  const { session, loading, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (loading) return <p className="loading">Loading…</p>;
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <>
      <header className="topbar">
        <a className="brand" href="/app/">Fulcrum</a>
        <nav aria-label="Main">
          {isOps(session) && <NavLink to="/board">Board</NavLink>}
          {session.locationIds?.map((id) => (
            <NavLink key={id} to={`/locations/${encodeURIComponent(id)}/queue`}>
              Queue {id}
            </NavLink>
          ))}
          {session.role !== 'carrier' && <NavLink to="/orders">Orders</NavLink>}
          {isOps(session) && <NavLink to="/inventory">Inventory</NavLink>}
          {isOps(session) && <NavLink to="/analytics">Analytics</NavLink>}
          {isOps(session) && <NavLink to="/messages">Messages</NavLink>}
          {session.role === 'admin' && <NavLink to="/settings">Settings</NavLink>}
        </nav>
        <div className="who">
          <span>
            {session.name} <span className="role">({session.role})</span>
          </span>
          <button
            type="button"
            onClick={() => {
              void signOut().then(() => navigate('/login'));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}
