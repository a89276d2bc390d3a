import { spawn } from "node:child_process";
import { appEnvironment, E2E_APP_PORT, E2E_DATABASE_NAME, E2E_REDIS_URL } from "./environment";
import { flushRedisDatabase, recreateDatabase } from "./fresh-stores";

/**
 * Playwright's webServer for the main app: a fresh e2e database and an empty Redis index,
 * then Parley's production server. The process is replaced (not wrapped) by the server in
 * spirit: signals are forwarded so Playwright's shutdown is a graceful one.
 */
await recreateDatabase(E2E_DATABASE_NAME);
await flushRedisDatabase(E2E_REDIS_URL);

const server = spawn(process.execPath, ["build/server.js"], {
  env: { ...process.env, ...appEnvironment(E2E_APP_PORT) },
  stdio: "inherit",
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
