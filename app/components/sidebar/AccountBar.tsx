import { Form, Link } from "@remix-run/react";

/** The foot of the sidebar: who is signed in, with Account and Sign out; for a guest, the ways in. */
export function AccountBar({ email, signupsOpen }: { email: string | null; signupsOpen: boolean }) {
  if (email) {
    return (
      <div className="account-bar" aria-label="Your account" role="group">
        <Link to="/account" className="account-bar__who" title={`Signed in as ${email}: your account`}>
          {email}
        </Link>
        <Form method="post" action="/logout" className="account-bar__out">
          <button type="submit" className="button button--ghost button--small">
            Sign out
          </button>
        </Form>
      </div>
    );
  }
  return (
    <div className="account-bar" aria-label="Your account" role="group">
      <span className="account-bar__guest">Guest</span>
      <span className="account-bar__links">
        <Link to="/login">Sign in</Link>
        {signupsOpen ? (
          <>
            {" / "}
            <Link to="/join">Sign up</Link>
          </>
        ) : null}
      </span>
    </div>
  );
}
