import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "#db/hot-store/testing/private-redis";
import { postgresUserIds, runAsPostgres } from "./postgres-user";

/**
 * A Postgres server owned by one test, in a temporary directory, on a free loopback port: the
 * test may stop and restart it under load without touching the shared Postgres on 5432.
 * `initdb` and `pg_ctl` from Debian's packages (POSTGRES_BIN_DIR to use others). Trust auth on
 * loopback, durable as configured by default (fsync on): a restart loses only what was never
 * committed.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** A URL of database `name` on it. */
  url(name?: string): string;
  /** `pg_ctl restart -m fast`: sessions are ended (57P01), then it starts again; resolves when it accepts connections. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`; resolves once it is down. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

const run = promisify(execFile);

function binDir(): string {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error("no initdb found under /usr/lib/postgresql: set POSTGRES_BIN_DIR");
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-pg-"));
  const data = path.join(dir, "data");
  const ids = postgresUserIds();
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const port = await freePort();
  const pgCtl = async (...args: string[]) => {
    const [command, argv] = runAsPostgres(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      ...args,
    ]);
    await run(command, argv, { timeout: 60_000 });
  };
  const [initCommand, initArgs] = runAsPostgres(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C",
    // The cluster is thrown away after the test: no need to wait for its files to reach the disk.
    "--no-sync",
  ]);
  await run(initCommand, initArgs, { timeout: 60_000 });
  // The socket goes in the test's own directory, never /var/run/postgresql (the shared server's).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  await pgCtl("-o", options, "-w", "start");

  let running = true;
  const stopOnExit = () => {
    if (!running) return;
    const [command, argv] = runAsPostgres(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
    try {
      // The process is exiting: nothing asynchronous runs any more.
      execFileSync(command, argv, { stdio: "ignore" });
    } catch {
      // Already stopped.
    }
  };
  process.once("exit", stopOnExit);

  return {
    port,
    url: (name = "postgres") => `postgres://postgres@127.0.0.1:${port}/${name}`,
    async restart() {
      await pgCtl("-m", "fast", "-w", "restart", "-o", options);
      running = true;
    },
    async stop() {
      await pgCtl("-m", "fast", "-w", "stop");
      running = false;
    },
    async start() {
      await pgCtl("-o", options, "-w", "start");
      running = true;
    },
    async destroy() {
      process.off("exit", stopOnExit);
      if (running) await pgCtl("-m", "immediate", "-w", "stop").catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
