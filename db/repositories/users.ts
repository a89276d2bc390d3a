import { sql } from "kysely";
import type { UserRow } from "#db/schema";
import type { Db } from "./db-type";

export async function createGuestUser(db: Db, id: string): Promise<UserRow> {
  return db.insertInto("users").values({ id, is_guest: true }).returningAll().executeTakeFirstOrThrow();
}

/** Marks a change to the user's chat list; call inside the transaction that made it. */
export async function bumpListVersion(db: Db, userId: string): Promise<number> {
  const row = await db
    .updateTable("users")
    .set({ list_version: sql`list_version + 1`, updated_at: sql`now()` })
    .where("id", "=", userId)
    .returning("list_version")
    .executeTakeFirst();
  return row?.list_version ?? 0;
}
