import { createHash } from "node:crypto";
import { uuidv7 } from "#db/ids";
import type { SignInInput, SignUpInput } from "#app/lib/account-forms";
import { SIGNUPS_CLOSED } from "#app/lib/account-rules";
import { deviceHint } from "#app/lib/device-hint";
import type { FieldErrors } from "#app/lib/forms";
import { log } from "#app/lib/logger.server";
import { readAccount, type AccountSummary } from "./account-summary.server";
import { userQuotaKeys } from "./limits/quotas.server";
import { hashPassword, needsRehash, verifyPassword } from "./password.server";
import type { Runtime } from "./runtime.server";
import { newSessionId, serializeSession, sessionCookie } from "./session-cookie.server";
import { getVisitor } from "./visitor.server";

/**
 * Sign-up, sign-in, sign-out and what the account page does. Every move of data starts from
 * the visitor's session as the server knows it; no form field names a user, guest or chat.
 * Nothing here logs or returns a password or a hash: log lines carry user ids and counts.
 */
export type AuthResult = { ok: true; setCookie: string } | { ok: false; refusal: Refusal };

export interface Refusal {
  status: number;
  error: string;
  fieldErrors?: FieldErrors;
}

/** The same words for an unknown email and a wrong password: they must not tell the two apart. */
export const WRONG_CREDENTIALS = "That email and password do not match an account.";
/**
 * Without email verification a refused sign-up necessarily tells its sender the address is
 * taken; the words at least do not say so to anyone reading over a shoulder.
 */
export const EMAIL_UNAVAILABLE = "This email cannot be used to sign up. If you have an account, sign in.";

const refuse = (status: number, error: string, fieldErrors?: FieldErrors): AuthResult => ({
  ok: false,
  refusal: { status, error, fieldErrors },
});

/** The visitor's live session, when they have one (a first visit has only a cookie). */
async function currentSession(runtime: Runtime, request: Request): Promise<string | null> {
  const visitor = await getVisitor(runtime, request);
  return visitor.userId ? visitor.sessionId : null;
}

/** The visitor's account and session, when they are signed in to one (not a guest). */
export async function signedInAccount(
  runtime: Runtime,
  request: Request,
): Promise<{ userId: string; sessionId: string; account: AccountSummary } | null> {
  const visitor = await getVisitor(runtime, request);
  const account = await readAccount(runtime, visitor.userId);
  if (!visitor.userId || !visitor.sessionId || !account?.email) return null;
  return { userId: visitor.userId, sessionId: visitor.sessionId, account };
}

function newSession(request: Request) {
  return { id: newSessionId(), userAgent: request.headers.get("User-Agent") };
}

export async function signUp(runtime: Runtime, request: Request, input: SignUpInput): Promise<AuthResult> {
  if (runtime.config.SIGNUPS === "closed") return refuse(403, SIGNUPS_CLOSED);
  const fromSessionId = await currentSession(runtime, request);
  const passwordHash = await hashPassword(input.password);
  const session = newSession(request);
  const outcome = await runtime.accounts.signUp({
    newUserId: uuidv7(),
    email: input.email,
    passwordHash,
    fromSessionId,
    session,
  });
  if (outcome.kind === "taken") return refuse(400, EMAIL_UNAVAILABLE, { email: EMAIL_UNAVAILABLE });
  log.info("account created", { userId: outcome.userId, fromGuest: outcome.fromGuest });
  return {
    ok: true,
    setCookie: await serializeSession(runtime.config, { s: session.id, u: outcome.userId }),
  };
}

/**
 * Checks the password (against a dummy hash when the email is unknown, so both refusals cost
 * the same argon2 work) and starts a new session; a guest session's chats move in.
 */
export async function signIn(runtime: Runtime, request: Request, input: SignInInput): Promise<AuthResult> {
  const account = await runtime.accounts.findByEmail(input.email);
  const valid = await verifyPassword(account?.passwordHash, input.password);
  if (!account || !valid) {
    log.info("sign-in refused");
    return refuse(400, WRONG_CREDENTIALS);
  }
  const fromSessionId = await currentSession(runtime, request);
  const session = newSession(request);
  const outcome = await runtime.accounts.signIn({ accountId: account.id, fromSessionId, session });
  if (needsRehash(account.passwordHash)) {
    // Parameters changed since this hash was made: store one made with today's.
    await runtime.accounts.rehash(account.id, await hashPassword(input.password));
  }
  log.info("signed in", {
    userId: account.id,
    mergedGuest: outcome.mergedGuestId ?? "none",
    movedChats: outcome.movedChats,
    movedProjects: outcome.movedProjects,
  });
  return { ok: true, setCookie: await serializeSession(runtime.config, { s: session.id, u: account.id }) };
}

/** Ends the visitor's session (if any) and gives the browser a fresh cookie with no user. */
export async function signOut(runtime: Runtime, request: Request): Promise<string> {
  const visitor = await getVisitor(runtime, request);
  if (visitor.sessionId) await runtime.sessions.revoke(visitor.sessionId);
  if (visitor.userId) log.info("signed out", { userId: visitor.userId });
  return sessionCookie(runtime.config).serialize({ s: newSessionId() });
}

export interface SessionView {
  /** A digest of the session id: enough to name it in a form, useless as a credential. */
  handle: string;
  device: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

function sessionHandle(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("base64url").slice(0, 22);
}

export async function listSessions(
  runtime: Runtime,
  userId: string,
  currentSessionId: string | null,
): Promise<SessionView[]> {
  const rows = await runtime.sessions.listLive(userId);
  return rows.map((row) => ({
    handle: sessionHandle(row.id),
    device: deviceHint(row.user_agent),
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/** Ends one of the user's other sessions, named by its handle. Resolves false when none matched. */
export async function endSession(
  runtime: Runtime,
  userId: string,
  currentSessionId: string,
  handle: string,
): Promise<boolean> {
  const rows = await runtime.sessions.listLive(userId);
  const target = rows.find((row) => row.id !== currentSessionId && sessionHandle(row.id) === handle);
  if (!target) return false;
  const ended = await runtime.sessions.endSessionsOfUser(userId, { ids: [target.id] });
  log.info("session ended", { userId, sessions: ended.length });
  return ended.length === 1;
}

export async function endOtherSessions(
  runtime: Runtime,
  userId: string,
  currentSessionId: string,
): Promise<number> {
  const ended = await runtime.sessions.endSessionsOfUser(userId, { except: currentSessionId });
  log.info("other sessions ended", { userId, sessions: ended.length });
  return ended.length;
}

export async function changePassword(
  runtime: Runtime,
  userId: string,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<Refusal | null> {
  const stored = await runtime.accounts.passwordHash(userId);
  if (!stored) return { status: 403, error: "Only an account has a password. Sign up first." };
  if (!(await verifyPassword(stored, input.currentPassword))) {
    const error = "That is not your current password.";
    return { status: 400, error, fieldErrors: { currentPassword: error } };
  }
  const ended = await runtime.accounts.changePassword(
    userId,
    await hashPassword(input.newPassword),
    currentSessionId,
  );
  log.info("password changed", { userId, endedSessions: ended.length });
  return null;
}

/** Deletes the account and everything in it once the password checks out; resolves the fresh cookie to send. */
export async function deleteAccount(
  runtime: Runtime,
  userId: string,
  password: string,
): Promise<{ ok: true; setCookie: string } | { ok: false; refusal: Refusal }> {
  const stored = await runtime.accounts.passwordHash(userId);
  if (!stored) return { ok: false, refusal: { status: 403, error: "Only an account can be deleted here." } };
  if (!(await verifyPassword(stored, password))) {
    const error = "That is not your password.";
    return { ok: false, refusal: { status: 400, error, fieldErrors: { password: error } } };
  }
  const { deleted, cacheCleared } = await runtime.accounts.deleteAccount(userId);
  // The quota counters named after the user go too (they would expire within the hour).
  await runtime.store
    .del([userQuotaKeys.messages(userId), userQuotaKeys.chats(userId), userQuotaKeys.sharedLinks(userId)])
    .catch(() => undefined);
  if (deleted) log.info("account deleted", { userId });
  if (!cacheCleared) log.warn("account deleted, but its cached entries could not be removed", { userId });
  return { ok: true, setCookie: await sessionCookie(runtime.config).serialize({ s: newSessionId() }) };
}
