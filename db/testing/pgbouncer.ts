import { spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "#db/hot-store/testing/private-redis";
import { asPostgresUser, postgresUserIds } from "./postgres-user";

/**
 * A PgBouncer owned by one test run, in transaction-pooling mode, on a free loopback port of
 * its own, in front of a Postgres (by default the shared one). Its configuration is written
 * into a temporary directory; the system's own PgBouncer service (Debian's, on 6432) is never
 * used. Trust authentication, as the Postgres behind it on this machine and on CI.
 *
 * No `ignore_startup_parameters`: a client that sends `statement_timeout` or `options` is
 * refused, as a production PgBouncer would refuse it, so the tests prove Parley sends none.
 */
export interface TestPgBouncer {
  readonly port: number;
  /** `url` (a Postgres URL) with its host and port replaced by PgBouncer's. */
  through(url: string): string;
  /** Transactions PgBouncer has served for `database` (or all) since it started (SHOW STATS). */
  transactions(database?: string): Promise<number>;
  /** What it logged (the tail), for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;

function pgbouncerBinary(): string {
  if (process.env.PGBOUNCER_PATH) return process.env.PGBOUNCER_PATH;
  return existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer";
}

export async function startPgBouncer(
  target: { host: string; port: number } = { host: "127.0.0.1", port: 5432 },
): Promise<TestPgBouncer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-pgbouncer-"));
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(path.join(dir, "userlist.txt"), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      "[databases]",
      // Any database name is passed through to the same name behind (an automatic database).
      `* = host=${target.host} port=${target.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "admin_users = postgres",
      "pool_mode = transaction",
      "max_client_conn = 500",
      "default_pool_size = 20",
      // After a failed login to Postgres (restarting), try again within a second, not 15.
      "server_login_retry = 1",
      // SHOW STATS totals are refreshed every stats_period (default 60 s).
      "stats_period = 1",
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  // PgBouncer refuses to run as root: it runs as postgres then, which must read its files.
  const ids = postgresUserIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const child = spawn(pgbouncerBinary(), [...asPostgresUser(), ini], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stopOnExit = () => child.kill("SIGKILL");
  process.once("exit", stopOnExit);

  const admin = `postgres://postgres@127.0.0.1:${port}/pgbouncer`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child)) throw new Error(`pgbouncer exited early:\n${output}`);
    if (await answers(admin)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`pgbouncer on ${port} did not answer within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    async transactions(database) {
      // The admin console speaks only the simple query protocol: no parameters.
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        const { rows } = await client.query<{ database: string; total_xact_count: string }>("SHOW STATS");
        return rows
          .filter((row) => (database ? row.database === database : row.database !== "pgbouncer"))
          .reduce((sum, row) => sum + Number(row.total_xact_count), 0);
      } finally {
        await client.end();
      }
    },
    log: () => output,
    async stop() {
      process.off("exit", stopOnExit);
      if (!hasExited(child)) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM"); // immediate shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500 });
  try {
    await client.connect();
    await client.query("SHOW VERSION");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
