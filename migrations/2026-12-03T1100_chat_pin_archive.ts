import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Pinned and archived chats. A chat is in exactly one place: pinned (the sidebar's top group),
 * archived (the archive view), or neither (the sidebar's day groups). The check holds the
 * "not both" rule for rows written by any path; each place has a partial index in the order
 * it is listed, so none of the three reads walks the rows of the other two.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("chats")
    .addColumn("pinned_at", sql`timestamptz(3)`)
    .addColumn("archived_at", sql`timestamptz(3)`)
    .execute();
  await db.schema
    .alterTable("chats")
    .addCheckConstraint("chats_pinned_or_archived", sql`pinned_at is null or archived_at is null`)
    .execute();
  await sql`create index chats_user_listed_idx on chats (user_id, updated_at desc, id desc)
    where pinned_at is null and archived_at is null`.execute(db);
  await sql`create index chats_user_pinned_idx on chats (user_id, pinned_at desc, id desc)
    where pinned_at is not null`.execute(db);
  await sql`create index chats_user_archived_idx on chats (user_id, archived_at desc, id desc)
    where archived_at is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("chats_user_archived_idx").execute();
  await db.schema.dropIndex("chats_user_pinned_idx").execute();
  await db.schema.dropIndex("chats_user_listed_idx").execute();
  await db.schema.alterTable("chats").dropConstraint("chats_pinned_or_archived").execute();
  await db.schema.alterTable("chats").dropColumn("archived_at").dropColumn("pinned_at").execute();
}
