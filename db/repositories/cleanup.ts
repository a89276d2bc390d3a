import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema";

/**
 * The clean-up job's queries. Each call deletes at most `limit` rows in one statement,
 * and takes its rows with FOR UPDATE SKIP LOCKED: several instances running the job at once
 * take disjoint rows (none waits for or fails on another), and a row a request is writing
 * right now is skipped until the next run. Times come from Postgres's clock, which every
 * instance shares.
 */

/**
 * Guests who never wrote anything, or nothing that is left: a guest user (`is_guest`, no email,
 * no password: an account, even one with no chats, is never touched) that owns no chat and no
 * project, and whose row was neither created nor changed (`updated_at` moves with every change
 * to their chat list) in the last `graceSeconds`, so a guest in the middle of a first write is
 * never taken. Their sessions go with them (by the cascade; the revocation trigger records them,
so every instance refuses them at once, cached or not). A request's first write creates the guest before
 * the chat, in another transaction, so a refused or failed first write leaves such a row.
 */
export async function deleteAbandonedGuests(
  db: Kysely<Database>,
  { graceSeconds, limit }: { graceSeconds: number; limit: number },
): Promise<number> {
  const cutoff = sql<Date>`now() - make_interval(secs => ${graceSeconds})`;
  const result = await db
    .deleteFrom("users")
    .where("id", "in", (eb) =>
      eb
        .selectFrom("users")
        .select("id")
        .where("is_guest", "=", true)
        .where("email", "is", null)
        .where("password_hash", "is", null)
        .where("created_at", "<", cutoff)
        .where("updated_at", "<", cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("chats").select("chats.id").whereRef("chats.user_id", "=", "users.id"))),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("projects").select("projects.id").whereRef("projects.user_id", "=", "users.id"),
            ),
          ),
        )
        .limit(limit)
        // A chat being inserted for this user holds a key-share lock on the row: skipped.
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sessions whose `expires_at` has passed: they are refused already, and nothing reads them again. */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  { limit }: { limit: number },
): Promise<string[]> {
  const rows = await db
    .deleteFrom("sessions")
    .where("id", "in", (eb) =>
      eb
        .selectFrom("sessions")
        .select("id")
        .where("expires_at", "<=", sql<Date>`now()`)
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}
