import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("email", "text", (col) => col.unique())
    .addColumn("display_name", "text")
    .addColumn("password_hash", "text")
    .addColumn("is_guest", "boolean", (col) => col.notNull().defaultTo(true))
    .addColumn("list_version", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", sql`timestamptz(3)`, (col) => col.notNull())
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("chats")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("title_source", "text", (col) =>
      col
        .notNull()
        .defaultTo("derived")
        .check(sql`title_source in ('derived', 'user', 'model')`),
    )
    .addColumn("model", "text")
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("version", "bigint", (col) => col.notNull().defaultTo(0))
    .execute();
  // The sidebar's keyset: a user's chats by latest activity.
  await db.schema
    .createIndex("chats_user_activity_idx")
    .on("chats")
    .columns(["user_id", "updated_at desc", "id desc"])
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("chat_id", "uuid", (col) => col.notNull().references("chats.id").onDelete("cascade"))
    .addColumn("role", "text", (col) => col.notNull().check(sql`role in ('user', 'assistant', 'system')`))
    .addColumn("content", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) =>
      col.notNull().check(sql`status in ('complete', 'pending', 'error', 'stopped', 'interrupted')`),
    )
    .addColumn("client_id", "text")
    .addColumn("model", "text")
    .addColumn("error", "text")
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    // The idempotency key: a retried send with the same client id stores one row.
    .addUniqueConstraint("messages_chat_client_id_key", ["chat_id", "client_id"])
    .execute();
  await db.schema
    .createIndex("messages_chat_order_idx")
    .on("messages")
    .columns(["chat_id", "created_at", "id"])
    .execute();
  // One reply at a time per chat, enforced by the database rather than by a check-then-act race.
  await db.schema
    .createIndex("messages_one_pending_reply_idx")
    .on("messages")
    .column("chat_id")
    .unique()
    .where(sql.ref("status"), "=", "pending")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("messages").execute();
  await db.schema.dropTable("chats").execute();
  await db.schema.dropTable("sessions").execute();
  await db.schema.dropTable("users").execute();
}
