import { Link } from "@remix-run/react";

/** The body of every error page: what happened, a way back, and the id to quote in a report. */
export function ErrorPanel({
  title,
  message,
  requestId,
}: {
  title: string;
  message: string;
  requestId?: string;
}) {
  return (
    <main className="error-panel" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>{message}</p>
      {requestId ? (
        <p className="error-panel__id">
          Request id: <code>{requestId}</code>
        </p>
      ) : null}
      <Link className="button button--primary" to="/chats">
        Back to your chats
      </Link>
    </main>
  );
}
