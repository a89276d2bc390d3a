import { uuidv7 } from "#db/ids";
import { SessionRepository } from "#db/repositories/session-repository";
import { singleton } from "#app/lib/singleton.server";
import { readyRuntime } from "./runtime.server";
import { sessionCookie, newSessionId, readSessionCookie, SESSION_LIFETIME_MS } from "./session-cookie.server";

/**
 * Who is asking. A first visit gets a cookie with a fresh session id but no rows: the guest
 * user and the session row are created on the first write, so crawlers create nothing.
 */
async function services() {
  const runtime = await readyRuntime();
  const cookie = sessionCookie(runtime.config);
  const sessions = singleton(
    "session-repository",
    () => new SessionRepository(runtime.database.db, runtime.store),
  );
  return { cookie, sessions };
}

export interface Visitor {
  /** The session id from the cookie, if any. */
  sessionId: string | null;
  /** The user, when the cookie names a live session. */
  userId: string | null;
}

export async function getVisitor(request: Request): Promise<Visitor> {
  const { cookie, sessions } = await services();
  const value = await readSessionCookie(cookie, request.headers.get("Cookie"));
  if (!value) return { sessionId: null, userId: null };
  if (!value.u) return { sessionId: value.s, userId: null };
  const userId = await sessions.userIdForSession(value.s);
  return { sessionId: value.s, userId: userId === value.u ? userId : null };
}

/** The user id, or null for a visitor who has not written anything yet. */
export async function getUserId(request: Request): Promise<string | null> {
  return (await getVisitor(request)).userId;
}

/**
 * The user for a write: an existing one, or a new guest with a new session. `setCookie` is
 * the header to send when the cookie changed.
 */
export async function requireWriter(request: Request): Promise<{ userId: string; setCookie?: string }> {
  const visitor = await getVisitor(request);
  if (visitor.userId) return { userId: visitor.userId };
  const { cookie, sessions } = await services();
  // Always a fresh id: an id from an old cookie may belong to a revoked session.
  const sessionId = newSessionId();
  const userId = uuidv7();
  await sessions.createGuest(userId, sessionId, new Date(Date.now() + SESSION_LIFETIME_MS));
  return { userId, setCookie: await cookie.serialize({ s: sessionId, u: userId }) };
}

/** A Set-Cookie header for a visitor who has none yet (first visit). */
export async function firstVisitCookie(): Promise<string> {
  const { cookie } = await services();
  return cookie.serialize({ s: newSessionId() });
}

export async function hasSessionCookie(request: Request): Promise<boolean> {
  const { cookie } = await services();
  return (await readSessionCookie(cookie, request.headers.get("Cookie"))) !== null;
}
