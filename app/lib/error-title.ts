/**
 * The heading of an error page for an HTTP status: words first, the code for reference.
 * `notFound` names what was missing (a page, a chat).
 */
export function errorTitle(status: number, notFound = "Not found"): string {
  if (status === 404) return notFound;
  if (status >= 400 && status < 500) return `Not accepted (${status})`;
  return `Something went wrong (${status})`;
}
