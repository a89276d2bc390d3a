import { z } from "zod";

/**
 * A shared link's token: 24 random bytes (192 bits, from the operating system's CSPRNG) in
 * base64url, so always 32 characters of [A-Za-z0-9_-]. Anything else in a /s/ URL is refused
 * before any look-up.
 */
export const SHARED_LINK_TOKEN_BYTES = 24;
export const SHARED_LINK_TOKEN_CHARS = 32;

export const sharedLinkTokenSchema = z
  .string()
  .length(SHARED_LINK_TOKEN_CHARS)
  .regex(/^[A-Za-z0-9_-]+$/);

export const sharedLinkPath = (token: string) => `/s/${token}`;
