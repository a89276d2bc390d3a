import { randomBytes } from "node:crypto";

/**
 * A request's id: Parley's server puts one in `x-request-id` on every request it hands to
 * Remix; under another server one is made here. Logged with every unexpected error and shown
 * on the error page, so a person's report can be matched to the log line.
 */
const assigned = new WeakMap<Request, string>();
const ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;

export function requestIdOf(request: Request): string {
  const header = request.headers.get("x-request-id");
  if (header && ID_PATTERN.test(header)) return header;
  let id = assigned.get(request);
  if (!id) {
    id = randomBytes(6).toString("base64url");
    assigned.set(request, id);
  }
  return id;
}
