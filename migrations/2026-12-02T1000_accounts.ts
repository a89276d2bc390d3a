import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Accounts and visible sessions.
 * - Emails are unique whatever their case: the app stores them trimmed and lower-cased, and
 *   the index on lower(email) holds that rule for rows written by any other path too.
 * - A session remembers the browser it was made for (its user agent, as a hint shown on the
 *   account page) and when it was last seen, which moves its idle expiry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropConstraint("users_email_key").execute();
  await sql`create unique index users_email_lower_key on users (lower(email))`.execute(db);

  await db.schema
    .alterTable("sessions")
    .addColumn("user_agent", "text")
    .addColumn("last_seen_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").dropColumn("last_seen_at").dropColumn("user_agent").execute();
  await db.schema.dropIndex("users_email_lower_key").execute();
  await db.schema.alterTable("users").addUniqueConstraint("users_email_key", ["email"]).execute();
}
