import { createCookie, type Cookie } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { singleton } from "#app/lib/singleton.server";

/**
 * The session cookie: signed, httpOnly, SameSite=Lax. It holds the session id and, once the
 * visitor has written something, their user id, so the sync check can read versions without
 * a session look-up. Every data loader and action still checks the session row, which is
 * what makes sessions revocable.
 */
export const SESSION_COOKIE_NAME = "parley_session";
const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

const cookieValueSchema = z.object({ s: z.string().min(16).max(64), u: z.uuid().optional() });
export type SessionCookieValue = z.infer<typeof cookieValueSchema>;

export function createSessionCookie(secret: string, secure: boolean): Cookie {
  return createCookie(SESSION_COOKIE_NAME, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: ONE_YEAR_SECONDS,
    secrets: [secret],
  });
}

/** The process's session cookie, made once from the configuration. */
export function sessionCookie(config: { SESSION_SECRET: string; NODE_ENV: string }): Cookie {
  return singleton("session-cookie", () =>
    createSessionCookie(config.SESSION_SECRET, config.NODE_ENV === "production"),
  );
}

export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

export const SESSION_LIFETIME_MS = ONE_YEAR_SECONDS * 1000;

/**
 * Verified Cookie headers, remembered: every tab sends the same header every few seconds, and
 * checking its signature again (an HMAC through WebCrypto) was a tenth of the sync check's
 * CPU. A header's verdict never changes, so this is safe; it is bounded and drops the oldest.
 */
const verified = new Map<string, SessionCookieValue | null>();
const VERIFIED_MAX = 20_000;

/** The verified cookie value, or null when absent, unsigned, tampered with or malformed. */
export async function readSessionCookie(
  cookie: Cookie,
  cookieHeader: string | null,
): Promise<SessionCookieValue | null> {
  if (!cookieHeader) return null;
  const known = verified.get(cookieHeader);
  if (known !== undefined) return known;
  const parsed = cookieValueSchema.safeParse(await cookie.parse(cookieHeader).catch(() => null));
  const value = parsed.success ? parsed.data : null;
  verified.set(cookieHeader, value);
  if (verified.size > VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  return value;
}
