import { sql } from "kysely";
import type { Db } from "./db-type";

/**
 * Every process that writes to the app's Redis (the app, test fixtures, the bench's writer)
 * must key by the same generation: this is the one way to ask for it, and to follow it when
 * another process moves it.
 */
export function cacheGenerationFrom(db: Db) {
  return {
    generationFor: (runId: string) => generationForRedisRun(db, runId),
    recordedGeneration: (runId: string) => recordedGenerationFor(db, runId),
  };
}

/**
 * The cache generation for the Redis server with run id `runId`: the current one when that
 * server is the one it was made for, else a new one (one more). Every instance that notices
 * the same new server gets the same generation; a generation is never handed out twice.
 */
export async function generationForRedisRun(db: Db, runId: string): Promise<number> {
  const moved = await sql<{ generation: number }>`
    insert into cache_generation (id, generation, redis_run_id) values (1, 1, ${runId})
    on conflict (id) do update
      set generation = cache_generation.generation + 1, redis_run_id = excluded.redis_run_id, changed_at = now()
      where cache_generation.redis_run_id <> excluded.redis_run_id
    returning generation`.execute(db);
  if (moved.rows[0]) return Number(moved.rows[0].generation);
  const row = await db.selectFrom("cache_generation").select("generation").executeTakeFirstOrThrow();
  return Number(row.generation);
}

/**
 * The generation recorded for the Redis server with run id `runId`, or null when the record is
 * for another server. Read only: a running process follows a generation another one moved
 * (after a failover and back it never saw, or one started after another Redis wrote its own),
 * but never moves it itself for a server it already knows.
 */
export async function recordedGenerationFor(db: Db, runId: string): Promise<number | null> {
  const row = await db
    .selectFrom("cache_generation")
    .select(["generation", "redis_run_id"])
    .executeTakeFirst();
  return row && row.redis_run_id === runId ? Number(row.generation) : null;
}
