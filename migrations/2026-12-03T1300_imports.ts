import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Imports and exports.
 * - An import runs after its upload has been read and checked; its row holds the progress the
 *   import page shows ("Imported 120 of 3,000 chats") and its outcome. One import at a time
 *   per person: a partial unique index on the running ones says so, without a race.
 * - A full export walks a person's chats by id in batches: (user_id, id) makes each batch one
 *   index range, however many chats other people have.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("imports")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("status", "text", (col) =>
      col.notNull().check(sql`status in ('running', 'done', 'failed', 'interrupted')`),
    )
    .addColumn("source", "text", (col) => col.notNull().check(sql`source in ('parley', 'chatgpt')`))
    .addColumn("file_name", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("total_chats", "integer", (col) => col.notNull())
    .addColumn("imported_chats", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("skipped_chats", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("imports_user_idx").on("imports").columns(["user_id", "id"]).execute();
  await db.schema
    .createIndex("imports_one_running_idx")
    .on("imports")
    .column("user_id")
    .unique()
    .where(sql.ref("status"), "=", "running")
    .execute();
  await db.schema.createIndex("chats_user_id_idx").on("chats").columns(["user_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("chats_user_id_idx").execute();
  await db.schema.dropTable("imports").execute();
}
