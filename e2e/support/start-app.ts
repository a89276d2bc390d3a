import { spawn } from "node:child_process";
import pg from "pg";
import { appEnvironment, E2E_ADMIN_DATABASE_URL, E2E_APP_PORT, E2E_DATABASE_NAME, E2E_REDIS_URL } from "./environment";
import { createClient } from "redis";

/**
 * Playwright's webServer for the main app: a fresh e2e database and an empty Redis index,
 * then Parley's production server. The process is replaced (not wrapped) by the server in
 * spirit: signals are forwarded so Playwright's shutdown is a graceful one.
 */
const admin = new pg.Client({ connectionString: E2E_ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`drop database if exists ${E2E_DATABASE_NAME} with (force)`);
await admin.query(`create database ${E2E_DATABASE_NAME}`);
await admin.end();

const redis = createClient({ url: E2E_REDIS_URL });
await redis.connect();
await redis.flushDb();
await redis.quit();

const server = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
  env: { ...process.env, ...appEnvironment(E2E_APP_PORT) },
  stdio: "inherit",
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
