import { startPgBouncer } from "./pgbouncer";
import { TEST_DATABASE_URL } from "./test-database";

/**
 * Vitest's global set-up for the PgBouncer run: one transaction-pooling PgBouncer in front of
 * the test Postgres for the whole run; test-database.ts reads its port from the environment
 * (the test processes are started after this, with this environment).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const target = new URL(TEST_DATABASE_URL);
  const bouncer = await startPgBouncer({ host: target.hostname, port: Number(target.port || 5432) });
  process.env.PARLEY_TEST_PGBOUNCER_PORT = String(bouncer.port);
  return async () => {
    // Evidence that the run went through it, not around it.
    console.log(`PgBouncer (transaction mode) served ${await bouncer.transactions()} transactions`);
    await bouncer.stop();
  };
}
