import { sql } from "kysely";
import type { Db } from "./db-type";
import { moveSharedLinks, sharedLinkHashesOfUser } from "./shared-links";

/**
 * Queries about accounts: a user with an email and a password hash (`is_guest` false). Emails
 * arrive normalised (trimmed, lower case); the unique index is on lower(email), so compare
 * through it.
 */

export interface AccountCredentials {
  id: string;
  passwordHash: string;
}

/** The account with this email (guests have none), with its password hash. */
export async function findAccountByEmail(db: Db, email: string): Promise<AccountCredentials | undefined> {
  const row = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where(sql<string>`lower(email)`, "=", email.toLowerCase())
    .where("is_guest", "=", false)
    .executeTakeFirst();
  return row?.password_hash ? { id: row.id, passwordHash: row.password_hash } : undefined;
}

/** The password hash of an account (undefined for a guest or an unknown id). */
export async function passwordHashOf(db: Db, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", userId)
    .where("is_guest", "=", false)
    .executeTakeFirst();
  return row?.password_hash ?? undefined;
}

export interface AccountSummary {
  /** Null for a guest. */
  email: string | null;
  isGuest: boolean;
}

export async function accountSummary(db: Db, userId: string): Promise<AccountSummary | undefined> {
  const row = await db
    .selectFrom("users")
    .select(["email", "is_guest"])
    .where("id", "=", userId)
    .executeTakeFirst();
  return row ? { email: row.email, isGuest: row.is_guest } : undefined;
}

/**
 * The user of a live session, locked for the rest of the transaction: a sign-in or sign-up
 * that moves this user's data must see the session as it is now, not as a cache remembers it.
 */
export async function lockUserOfSession(
  db: Db,
  sessionId: string,
): Promise<{ id: string; isGuest: boolean; listVersion: number } | undefined> {
  const row = await db
    .selectFrom("users")
    .select(["id", "is_guest", "list_version"])
    .where("id", "=", (eb) =>
      eb
        .selectFrom("sessions")
        .select("user_id")
        .where("sessions.id", "=", sessionId)
        .where("expires_at", ">", sql<Date>`now()`),
    )
    .forUpdate()
    .executeTakeFirst();
  return row ? { id: row.id, isGuest: row.is_guest, listVersion: Number(row.list_version) } : undefined;
}

export async function insertAccount(
  db: Db,
  account: { id: string; email: string; passwordHash: string },
): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({ id: account.id, email: account.email, password_hash: account.passwordHash, is_guest: false })
    .returning("list_version")
    .executeTakeFirstOrThrow();
  return Number(row.list_version);
}

/**
 * Turns a guest into an account, keeping its id (so its chats stay where they are). Bumps the
 * list version: the sidebar shows who is signed in. Resolves the new list version, or
 * undefined when the user is not a guest (any more).
 */
export async function convertGuest(
  db: Db,
  userId: string,
  credentials: { email: string; passwordHash: string },
): Promise<number | undefined> {
  const row = await db
    .updateTable("users")
    .set({
      email: credentials.email,
      password_hash: credentials.passwordHash,
      is_guest: false,
      list_version: sql`list_version + 1`,
      updated_at: sql`now()`,
    })
    .where("id", "=", userId)
    .where("is_guest", "=", true)
    .returning("list_version")
    .executeTakeFirst();
  return row ? Number(row.list_version) : undefined;
}

/**
 * Moves every chat and project of `fromUserId` to `toUserId`. Each moved chat's version goes
 * up (its cached header names the old owner). Chats lose their new-chat client id, which only
 * guards a double post of the form that created them and could collide with the target's.
 */
export async function moveChatsAndProjects(
  db: Db,
  fromUserId: string,
  toUserId: string,
): Promise<{ chats: Array<[string, number]>; projects: number }> {
  const chats = await db
    .updateTable("chats")
    .set({ user_id: toUserId, client_id: null, version: sql`version + 1` })
    .where("user_id", "=", fromUserId)
    .returning(["id", "version"])
    .execute();
  const projects = await db
    .updateTable("projects")
    .set({ user_id: toUserId, updated_at: sql`now()` })
    .where("user_id", "=", fromUserId)
    .returning("id")
    .execute();
  // The guest's shared links follow its chats (the guest is deleted next, and its links with it).
  await moveSharedLinks(db, fromUserId, toUserId);
  return { chats: chats.map((chat) => [chat.id, Number(chat.version)]), projects: projects.length };
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: sql`now()` })
    .where("id", "=", userId)
    .where("is_guest", "=", false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** What a user has that the hot store may hold copies of, read before deleting them. */
export interface UserFootprint {
  listVersion: number;
  chats: Array<[string, number]>;
  sessionIds: string[];
  /** Replies written in the last `recentSeconds` (their progress may still be in the hot store). */
  recentReplyIds: string[];
  /** Token hashes of the user's shared links, whose cached pages must be buried. */
  sharedLinkHashes: string[];
}

export async function userFootprint(db: Db, userId: string, recentSeconds: number): Promise<UserFootprint> {
  // One after another: inside a transaction the queries share one connection anyway.
  const user = await db
    .selectFrom("users")
    .select("list_version")
    .where("id", "=", userId)
    .executeTakeFirst();
  const chats = await db
    .selectFrom("chats")
    .select(["id", "version"])
    .where("user_id", "=", userId)
    .execute();
  const sessions = await db.selectFrom("sessions").select("id").where("user_id", "=", userId).execute();
  const replies = await db
    .selectFrom("messages")
    .innerJoin("chats", "chats.id", "messages.chat_id")
    .select("messages.id")
    .where("chats.user_id", "=", userId)
    .where("messages.role", "=", "assistant")
    .where("messages.updated_at", ">", sql<Date>`now() - make_interval(secs => ${recentSeconds})`)
    .execute();
  return {
    listVersion: Number(user?.list_version ?? 0),
    chats: chats.map((chat) => [chat.id, Number(chat.version)]),
    sessionIds: sessions.map((session) => session.id),
    recentReplyIds: replies.map((reply) => reply.id),
    sharedLinkHashes: await sharedLinkHashesOfUser(db, userId),
  };
}

/** Deletes a user; chats, messages, projects and sessions go with it (foreign keys cascade). */
export async function deleteUser(db: Db, userId: string): Promise<boolean> {
  const row = await db.deleteFrom("users").where("id", "=", userId).returning("id").executeTakeFirst();
  return row !== undefined;
}

/** True for the unique-index violation of an email already taken. */
export function isEmailTaken(error: unknown): boolean {
  const candidate = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    candidate?.code === "23505" &&
    (candidate.constraint === "users_email_lower_key" ||
      String(candidate.message).includes("users_email_lower_key"))
  );
}
