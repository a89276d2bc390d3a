import type { Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * A chat remembers the client id of the message that created it, so posting the new-chat
 * form twice (a double click, a retried request) creates one chat, not two.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("chats").addColumn("client_id", "text").execute();
  await db.schema
    .createIndex("chats_user_client_id_key")
    .on("chats")
    .columns(["user_id", "client_id"])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("chats_user_client_id_key").execute();
  await db.schema.alterTable("chats").dropColumn("client_id").execute();
}
