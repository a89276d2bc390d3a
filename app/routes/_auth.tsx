import { Link, Outlet } from "@remix-run/react";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";

/** The sign-in and sign-up pages: one card, no sidebar. */
export default function AuthLayout() {
  return (
    <div className="auth">
      <Link to="/chats" className="brand auth__brand" aria-label="Parley, back to chats">
        <span className="brand__mark" aria-hidden="true" />
        <span className="brand__name">Parley</span>
      </Link>
      <main className="auth__card">
        <Outlet />
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel />;
}
