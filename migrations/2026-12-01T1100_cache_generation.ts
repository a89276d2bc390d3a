import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

/**
 * The hot cache's generation: every Redis key carries it, and it moves on whenever the Redis
 * server's run id changes (a restart from a snapshot, a failover), so entries from an older
 * Redis state are never read. Kept here because it must outlive Redis and only ever grow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cache_generation")
    .addColumn("id", "smallint", (col) =>
      col
        .primaryKey()
        .defaultTo(1)
        .check(sql`id = 1`),
    )
    .addColumn("generation", "bigint", (col) => col.notNull())
    .addColumn("redis_run_id", "text", (col) => col.notNull())
    .addColumn("changed_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cache_generation").execute();
}
