import { createHash, randomBytes } from "node:crypto";
import { SHARED_LINK_TOKEN_BYTES } from "#app/lib/shared-link-token";

/** A new token, from the operating system's CSPRNG. */
export function newSharedLinkToken(): string {
  return randomBytes(SHARED_LINK_TOKEN_BYTES).toString("base64url");
}

/**
 * What Postgres and the hot store know a token by: its SHA-256, in hex. Links are looked up
 * by this hash, with an ordinary index: the comparison that may stop early is between
 * hashes, and learning how many leading characters of a hash matched says nothing about
 * which token would produce it, so no constant-time compare is needed. And neither a copy
 * of the database nor of Redis opens any link. A fast hash suffices: the token holds 192
 * random bits, so there is nothing to guess by brute force (unlike a password).
 */
export function sharedLinkTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
