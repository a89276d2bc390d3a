import { sql } from "kysely";
import type { ImportRow, ImportSource } from "#db/schema";
import type { Db } from "./db-type";

/** The import jobs' rows: started, read for the progress page, finished, and marked dead. */

export interface NewImport {
  id: string;
  userId: string;
  source: ImportSource;
  fileName: string;
  totalChats: number;
}

/**
 * Starts an import, unless one of this user's is running (the partial unique index
 * `imports_one_running_idx` decides, race-free): resolves the row, or undefined.
 */
export async function startImport(db: Db, job: NewImport): Promise<ImportRow | undefined> {
  return db
    .insertInto("imports")
    .values({
      id: job.id,
      user_id: job.userId,
      status: "running",
      source: job.source,
      file_name: job.fileName,
      total_chats: job.totalChats,
    })
    .onConflict((oc) => oc.column("user_id").where("status", "=", "running").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function getImport(db: Db, userId: string, importId: string): Promise<ImportRow | undefined> {
  return db
    .selectFrom("imports")
    .selectAll()
    .where("id", "=", importId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** The user's most recent imports, newest first. */
export async function listImports(db: Db, userId: string, limit: number): Promise<ImportRow[]> {
  return db
    .selectFrom("imports")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Ends a running import as done or failed (with the reason). */
export async function finishImport(
  db: Db,
  importId: string,
  outcome: { status: "done" } | { status: "failed"; error: string },
): Promise<void> {
  await db
    .updateTable("imports")
    .set({
      status: outcome.status,
      error: outcome.status === "failed" ? outcome.error : null,
      updated_at: sql`now()`,
    })
    .where("id", "=", importId)
    .where("status", "=", "running")
    .execute();
}

/**
 * Marks the user's running imports whose row has not moved since `before` as interrupted: the
 * process running them stopped. Every chat imported moves the row, so a live one never looks
 * dead for long.
 */
export async function markStaleImports(db: Db, userId: string, before: Date): Promise<number> {
  const result = await db
    .updateTable("imports")
    .set({ status: "interrupted", updated_at: sql`now()` })
    .where("user_id", "=", userId)
    .where("status", "=", "running")
    .where("updated_at", "<", before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
