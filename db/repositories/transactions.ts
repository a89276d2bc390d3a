import type { Transaction } from "kysely";
import type { Database } from "#db/schema";
import type { Db } from "./db-type";
import { bumpListVersion } from "./users";

/**
 * Runs `work` in a transaction: the caller's, when `db` is one already (a service that opened
 * it passes it down), or a new one. On PGlite a query through `db` inside an open transaction
 * deadlocks, so combined writes always go through here.
 */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * Runs `change` and, when it changed something (resolved a value), bumps the user's list
 * version in the same transaction: for anything the sidebar shows (chats, projects).
 */
export function withListBump<T>(
  db: Db,
  userId: string,
  change: (trx: Transaction<Database>) => Promise<T | undefined>,
): Promise<{ value: T; list: number } | undefined> {
  return inTransaction(db, async (trx) => {
    const value = await change(trx);
    if (value === undefined) return undefined;
    return { value, list: await bumpListVersion(trx, userId) };
  });
}
