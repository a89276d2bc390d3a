import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a request carries the operator's bearer token. Compared as SHA-256 digests in
 * constant time, so neither the token's length nor its characters leak through timing.
 */
export function hasOperatorToken(request: Request, token: string): boolean {
  const match = /^Bearer +(\S+)$/.exec(request.headers.get("Authorization") ?? "");
  if (!match) return false;
  return timingSafeEqual(digest(match[1]), digest(token));
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
