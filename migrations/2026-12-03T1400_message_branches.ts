import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Messages form a tree: each has a parent (null for a chat's first), so editing an earlier
 * message or regenerating a reply adds a sibling instead of replacing what followed.
 * - `messages.parent_id`: the message this one answers or follows. Existing chats become
 *   single branches: each message's parent is the one before it by (created_at, id).
 * - `messages.chosen_at`: when a person last chose the branch ending at this message (null:
 *   never; its creation counts). Choosing a version resumes the branch last chosen under it.
 * - `chats.active_leaf_id`: the end of the branch the chat shows and the model is sent. No
 *   foreign key: a chat's messages are only ever deleted with the chat, and a key would need
 *   an index on chats for every message deleted; readers fall back to the newest message.
 *
 * Down keeps, for each chat, only its visible branch (what the person last saw), which is
 * what the linear model did on an edit: the replaced continuation was deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("messages")
    .addColumn("parent_id", "uuid", (col) => col.references("messages.id").onDelete("cascade"))
    .addColumn("chosen_at", sql`timestamptz(3)`)
    .execute();
  await db.schema.alterTable("chats").addColumn("active_leaf_id", "uuid").execute();

  await sql`
    update messages
    set parent_id = ordered.previous_id
    from (
      select id, lag(id) over (partition by chat_id order by created_at, id) as previous_id
      from messages
    ) as ordered
    where messages.id = ordered.id and ordered.previous_id is not null`.execute(db);
  await sql`
    update chats
    set active_leaf_id = (
      select messages.id from messages
      where messages.chat_id = chats.id
      order by messages.created_at desc, messages.id desc
      limit 1
    )`.execute(db);

  // A message's versions (its parent's children, oldest first); also what the cascade reads.
  await db.schema
    .createIndex("messages_parent_order_idx")
    .on("messages")
    .columns(["parent_id", "created_at", "id"])
    .execute();
  // The versions of a chat's first message have no parent to look them up by.
  await db.schema
    .createIndex("messages_chat_roots_idx")
    .on("messages")
    .columns(["chat_id", "created_at", "id"])
    .where(sql.ref("parent_id"), "is", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    with recursive visible (id, parent_id, chat_id) as (
      select messages.id, messages.parent_id, messages.chat_id
      from chats join messages on messages.id = chats.active_leaf_id and messages.chat_id = chats.id
      union all
      select messages.id, messages.parent_id, messages.chat_id
      from visible join messages on messages.id = visible.parent_id
    )
    delete from messages
    where messages.chat_id in (select chat_id from visible)
      and messages.id not in (select id from visible)`.execute(db);
  await db.schema.dropIndex("messages_chat_roots_idx").execute();
  await db.schema.dropIndex("messages_parent_order_idx").execute();
  await db.schema.alterTable("chats").dropColumn("active_leaf_id").execute();
  await db.schema.alterTable("messages").dropColumn("chosen_at").dropColumn("parent_id").execute();
}
