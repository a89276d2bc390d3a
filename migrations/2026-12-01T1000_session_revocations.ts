import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Every ended session (deleted by sign-out, by a revocation, by a user's deletion through the
 * cascade, or by hand in SQL) leaves a row here, written by a trigger so no path can forget
 * it. App instances read the newest rows every half second and refuse those sessions at once,
 * even where a session look-up is still cached. Rows are pruned after a few minutes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("session_revocations")
    .addColumn("seq", "bigserial", (col) => col.primaryKey())
    .addColumn("session_id", "text", (col) => col.notNull())
    .addColumn("revoked_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("session_revocations_revoked_at_idx")
    .on("session_revocations")
    .column("revoked_at")
    .execute();
  await sql`
    create function parley_record_session_revocation() returns trigger language plpgsql as $$
    begin
      insert into session_revocations (session_id) values (old.id);
      return old;
    end
    $$`.execute(db);
  await sql`
    create trigger sessions_record_revocation after delete on sessions
    for each row execute function parley_record_session_revocation()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists sessions_record_revocation on sessions`.execute(db);
  await sql`drop function if exists parley_record_session_revocation()`.execute(db);
  await db.schema.dropTable("session_revocations").execute();
}
