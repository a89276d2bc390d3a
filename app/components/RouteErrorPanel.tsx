import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { errorTitle } from "#app/lib/error-title";
import { isUnreachable } from "#app/lib/unreachable";
import { useRootData } from "#app/lib/root-data";
import { ErrorPanel } from "./ErrorPanel";

const UNEXPECTED = "Parley hit an unexpected error. Nothing you sent was lost; try again in a moment.";

/**
 * A route's error boundary body: a refused or missing thing says so in words (the thrown
 * response's message, or `notFoundMessage` for a 404); a page the browser could not fetch
 * (offline) says so; anything unexpected shows only the request id to quote, never internals.
 */
export function RouteErrorPanel({
  notFoundTitle,
  notFoundMessage,
  unexpectedMessage = UNEXPECTED,
}: {
  notFoundTitle?: string;
  notFoundMessage?: string;
  unexpectedMessage?: string;
}) {
  const error = useRouteError();
  const root = useRootData();
  if (isRouteErrorResponse(error)) {
    const message =
      error.status === 404 && notFoundMessage ? notFoundMessage : String(error.data || error.statusText);
    return <ErrorPanel title={errorTitle(error.status, notFoundTitle)} message={message} />;
  }
  if (isUnreachable(error)) {
    return (
      <ErrorPanel
        title="Could not reach Parley"
        message="This page could not be loaded. Check your connection and try again."
      />
    );
  }
  return <ErrorPanel title="Something went wrong" message={unexpectedMessage} requestId={root?.requestId} />;
}
