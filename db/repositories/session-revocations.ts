import { sql } from "kysely";
import type { Db } from "./db-type";

export interface Revocation {
  seq: number;
  sessionId: string;
}

/** Revocations newer than `afterSeq`, oldest first; with no `afterSeq`, those of the last `sinceSeconds`. */
export async function listRevocations(
  db: Db,
  from: { afterSeq: number } | { sinceSeconds: number },
  limit: number,
): Promise<Revocation[]> {
  let query = db.selectFrom("session_revocations").select(["seq", "session_id"]);
  query =
    "afterSeq" in from
      ? query.where("seq", ">", from.afterSeq)
      : query.where("revoked_at", ">", sql<Date>`now() - make_interval(secs => ${from.sinceSeconds})`);
  const rows = await query.orderBy("seq").limit(limit).execute();
  return rows.map((row) => ({ seq: Number(row.seq), sessionId: row.session_id }));
}

/** Forgets revocations older than `olderThanSeconds`: by then no cached look-up of them survives. */
export async function pruneRevocations(db: Db, olderThanSeconds: number): Promise<void> {
  await db
    .deleteFrom("session_revocations")
    .where("revoked_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .execute();
}

/** The newest revocation's sequence number (0 when there is none). */
export async function latestRevocationSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom("session_revocations")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
