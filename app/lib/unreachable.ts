import type { ClientActionFunctionArgs, ShouldRevalidateFunctionArgs } from "@remix-run/react";
import type { ActionFailure } from "./action-result";

/**
 * With JavaScript, a submission that never reaches the server (offline, the server restarting)
 * would otherwise reject inside Remix and replace the page with its error boundary, taking the
 * person's unsent message with it. Instead it becomes an ordinary refusal: the page stays, says
 * what happened, and the composer puts the text back. Without JavaScript the browser shows its
 * own offline page and the form is still there on Back.
 */
export const UNREACHABLE_ERROR =
  "Parley could not reach the server, so nothing was saved. Check your connection and try again.";

/** fetch rejects with a TypeError when a request got no answer at all. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError;
}

/** A submission that never reached the server, or that the server could not save (a database outage). */
function isUnreachableFailure(result: unknown): boolean {
  if (typeof result !== "object" || result === null) return false;
  const failure = result as ActionFailure;
  return failure.unreachable === true || failure.unavailable === true;
}

/** A route's `clientAction`: its server action, with "could not reach the server" as a refusal. */
export async function serverActionOrUnreachable({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction();
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    const failure: ActionFailure = { ok: false, error: UNREACHABLE_ERROR, unreachable: true };
    return failure;
  }
}

/**
 * A route's `shouldRevalidate`: after a submission that never reached the server, or that the
 * server refused because the database did not answer, re-running the loaders would fail the
 * same way (and show the error page), so the page stays as it is.
 */
export function unlessUnreachable({
  actionResult,
  defaultShouldRevalidate,
}: ShouldRevalidateFunctionArgs): boolean {
  return isUnreachableFailure(actionResult) ? false : defaultShouldRevalidate;
}
