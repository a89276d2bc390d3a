import { execFileSync } from "node:child_process";

/**
 * Postgres and PgBouncer refuse to run as root, and CI runs the tests as root: there, the
 * servers a test starts run as the `postgres` system user (Debian's packages create it).
 * Elsewhere they run as whoever runs the tests.
 */
export function postgresUserIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** PgBouncer's own option to drop to another user after start (needed only as root). */
export function asPostgresUser(): string[] {
  return process.getuid?.() === 0 ? ["-u", "postgres"] : [];
}

/** How to run another program as the postgres user when root: a `runuser` prefix, or nothing. */
export function runAsPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}
