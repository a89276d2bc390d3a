import { sql } from "kysely";
import type { SessionRow } from "#db/schema";
import type { Db } from "./db-type";

/** How long a session lasts: `idleSeconds` after it was last seen, and never past `maxSeconds` after it began. */
export interface SessionLifetime {
  idleSeconds: number;
  maxSeconds: number;
}

/** The longest User-Agent kept: enough for a device hint, bounded whatever a client sends. */
const USER_AGENT_MAX_CHARS = 512;

export async function createSession(
  db: Db,
  session: { id: string; userId: string; expiresAt: Date; userAgent?: string | null },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: session.id,
      user_id: session.userId,
      expires_at: session.expiresAt,
      user_agent: session.userAgent?.slice(0, USER_AGENT_MAX_CHARS) || null,
    })
    .execute();
}

/** The session when it exists and has not expired. */
export async function getLiveSession(
  db: Db,
  id: string,
  now: Date = new Date(),
): Promise<SessionRow | undefined> {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("id", "=", id)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * Records that a live session was used: `last_seen_at` becomes now and its expiry moves to
 * the earlier of now + idle and its start + max. Writes at most once a minute per session,
 * whatever the number of instances asking, and never revives an expired session.
 */
export async function touchSession(db: Db, id: string, lifetime: SessionLifetime): Promise<void> {
  await db
    .updateTable("sessions")
    .set({
      last_seen_at: sql`now()`,
      expires_at: sql`least(created_at + make_interval(secs => ${lifetime.maxSeconds}), now() + make_interval(secs => ${lifetime.idleSeconds}))`,
    })
    .where("id", "=", id)
    .where("expires_at", ">", sql<Date>`now()`)
    .where("last_seen_at", "<", sql<Date>`now() - interval '1 minute'`)
    .execute();
}

/** A user's live sessions, most recently seen first. */
export async function listLiveSessions(db: Db, userId: string): Promise<SessionRow[]> {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("user_id", "=", userId)
    .where("expires_at", ">", sql<Date>`now()`)
    .orderBy("last_seen_at", "desc")
    .orderBy("id")
    .execute();
}

/** Deletes the user's sessions named in `ids`, or all but `except`; resolves the ids deleted. */
export async function deleteSessionsOfUser(
  db: Db,
  userId: string,
  which: { ids: string[] } | { except: string },
): Promise<string[]> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if ("ids" in which) {
    if (which.ids.length === 0) return [];
    query = query.where("id", "in", which.ids);
  } else {
    query = query.where("id", "<>", which.except);
  }
  const rows = await query.returning("id").execute();
  return rows.map((row) => row.id);
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}
