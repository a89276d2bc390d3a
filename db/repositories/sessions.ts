import type { SessionRow } from "#db/schema";
import type { Db } from "./db-type";

export async function createSession(
  db: Db,
  session: { id: string; userId: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt })
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

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}
