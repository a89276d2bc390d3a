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

/** Of the sessions named, those that exist and have not expired: what a look-up needs of each. */
export async function getLiveSessions(
  db: Db,
  ids: readonly string[],
): Promise<Array<Pick<SessionRow, "id" | "user_id" | "expires_at">>> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("sessions")
    .select(["id", "user_id", "expires_at"])
    .where("id", "in", ids)
    .where("expires_at", ">", sql<Date>`now()`)
    .execute();
}

/**
 * Records that live sessions were used: `last_seen_at` becomes now and each one's expiry moves
 * to the earlier of now + idle and its start + max. Skips sessions written within the last
 * minute (by any instance), and never revives an expired session.
 */
export async function touchSessions(
  db: Db,
  ids: readonly string[],
  lifetime: SessionLifetime,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("sessions")
    .set({
      last_seen_at: sql`now()`,
      expires_at: sql`least(created_at + make_interval(secs => ${lifetime.maxSeconds}), now() + make_interval(secs => ${lifetime.idleSeconds}))`,
    })
    .where("id", "in", ids)
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
