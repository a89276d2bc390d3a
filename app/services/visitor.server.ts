import { redirect } from "@remix-run/node";
import { uuidv7 } from "#db/ids";
import { readAccount } from "./account-summary.server";
import type { Runtime } from "./runtime.server";
import { newSessionId, readSessionCookie, serializeSession, sessionCookie } from "./session-cookie.server";

/**
 * Who is asking. A first visit gets a cookie with a fresh session id but no rows: the guest
 * user and the session row are created on the first write, so crawlers create nothing.
 */
interface Visitor {
  /** The session id from the cookie, if any. */
  sessionId: string | null;
  /** The user, when the cookie names a live session. */
  userId: string | null;
}

export async function getVisitor(runtime: Runtime, request: Request): Promise<Visitor> {
  const value = await readSessionCookie(sessionCookie(runtime.config), request.headers.get("Cookie"));
  if (!value) return { sessionId: null, userId: null };
  if (!value.u) return { sessionId: value.s, userId: null };
  const userId = await runtime.sessions.userIdForSession(value.s);
  return { sessionId: value.s, userId: userId === value.u ? userId : null };
}

/** The user id, or null for a visitor who has not written anything yet. */
export async function getUserId(runtime: Runtime, request: Request): Promise<string | null> {
  return (await getVisitor(runtime, request)).userId;
}

interface Writer {
  userId: string;
  /** `setCookie` is the header to send when the cookie changed. */
  setCookie?: string;
}

/**
 * The user a write will be made by, before anything is written: an existing one, or a guest
 * that `create()` makes (with a new session). Lets an action check limits in between. With
 * GUESTS=off only an account may write: anyone else is sent to sign in, and no guest is made.
 */
export async function planWriter(
  runtime: Runtime,
  request: Request,
): Promise<{ userId: string; isNew: boolean; create(): Promise<Writer> }> {
  const visitor = await getVisitor(runtime, request);
  if (runtime.config.GUESTS === "off" && !(await readAccount(runtime, visitor.userId))?.email) {
    throw redirect("/login");
  }
  if (visitor.userId) {
    const writer = { userId: visitor.userId };
    return { ...writer, isNew: false, create: async () => writer };
  }
  // Always a fresh id: an id from an old cookie may belong to a revoked session.
  const sessionId = newSessionId();
  const userId = uuidv7();
  return {
    userId,
    isNew: true,
    async create() {
      await runtime.sessions.createGuest(
        userId,
        sessionId,
        runtime.sessions.newExpiry(),
        request.headers.get("User-Agent"),
      );
      return { userId, setCookie: await serializeSession(runtime.config, { s: sessionId, u: userId }) };
    },
  };
}

/** A Set-Cookie header for a visitor who has none yet (first visit). */
export async function firstVisitCookie(runtime: Runtime): Promise<string> {
  return sessionCookie(runtime.config).serialize({ s: newSessionId() });
}

export async function hasSessionCookie(runtime: Runtime, request: Request): Promise<boolean> {
  return (await readSessionCookie(sessionCookie(runtime.config), request.headers.get("Cookie"))) !== null;
}
