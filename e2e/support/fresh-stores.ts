import pg from "pg";
import { createClient } from "redis";
import { E2E_ADMIN_DATABASE_URL } from "./environment";

/** Runs one statement on its own connection (database creation cannot run in a pool's transaction). */
export async function runSql(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops the database `name` (whoever is connected) and creates it empty. */
export async function recreateDatabase(name: string): Promise<void> {
  await runSql(E2E_ADMIN_DATABASE_URL, `drop database if exists ${name} with (force)`);
  await runSql(E2E_ADMIN_DATABASE_URL, `create database ${name}`);
}

/** Empties the Redis database that `url` names. */
export async function flushRedisDatabase(url: string): Promise<void> {
  const redis = createClient({ url });
  await redis.connect();
  await redis.flushDb();
  await redis.quit();
}
