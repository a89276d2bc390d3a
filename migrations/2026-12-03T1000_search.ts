import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * Full-text search over chat titles and message text, kept by the database itself: each row
 * carries a stored generated `search_vector`, so every write path (sends, streamed replies,
 * edits, renames, model titles, rows written by hand) keeps it current with no application
 * code, and a GIN index answers `@@` queries.
 *
 * Each vector holds the text twice: through the 'english' configuration (stemmed, stop words
 * dropped: "databases" finds "database") and through 'simple' (every word as written, lower
 * case: German, French, Russian… words, and English stop words, are found as typed). Weights
 * let a title outrank a message and an exact English match outrank a plain-word one.
 * `to_tsvector` with a named configuration is immutable, as a generated column requires, and
 * both configurations are built into Postgres 15 and PGlite: no extension is needed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table chats add column search_vector tsvector generated always as (
      setweight(to_tsvector('english'::regconfig, title), 'A') ||
      setweight(to_tsvector('simple'::regconfig, title), 'C')
    ) stored`.execute(db);
  await sql`
    alter table messages add column search_vector tsvector generated always as (
      setweight(to_tsvector('english'::regconfig, content), 'B') ||
      setweight(to_tsvector('simple'::regconfig, content), 'D')
    ) stored`.execute(db);
  await sql`create index chats_search_idx on chats using gin (search_vector)`.execute(db);
  await sql`create index messages_search_idx on messages using gin (search_vector)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index messages_search_idx`.execute(db);
  await sql`drop index chats_search_idx`.execute(db);
  await sql`alter table messages drop column search_vector`.execute(db);
  await sql`alter table chats drop column search_vector`.execute(db);
}
