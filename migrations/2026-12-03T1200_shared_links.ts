import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Shared links: a read-only copy of a chat's complete messages, as they were when it was
 * shared, reachable by anyone holding its token. Only a hash of the token is kept, so the
 * table (or a backup of it) opens no link. A link goes with its chat and with its owner.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("shared_links")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("chat_id", "uuid", (col) => col.notNull().references("chats.id").onDelete("cascade"))
    // SHA-256 of the token, in hex.
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("messages", "jsonb", (col) => col.notNull())
    .addColumn("message_count", "integer", (col) => col.notNull())
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("shared_links_user_idx")
    .on("shared_links")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema.createIndex("shared_links_chat_idx").on("shared_links").column("chat_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("shared_links").execute();
}
