import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { getConfig } from "#app/config.server";
import { startDatabaseCleanup } from "#app/lib/database-cleanup.server";
import { log } from "#app/lib/logger.server";
import { finishRunningReplies } from "#app/services/assistant/running-replies.server";
import { getRuntime } from "#app/services/runtime.server";
import { createShutdown, shutDownOnSignals } from "./graceful-shutdown";
import { boundHeapGrowth } from "./heap-growth";
import { createMetricsServer } from "./metrics-endpoint";
import { createParleyServer } from "./parley-server";

boundHeapGrowth();

// This server drains requests and closes Postgres and Redis itself (graceful-shutdown.ts).
(globalThis as { __parleyOwnServer?: boolean }).__parleyOwnServer = true;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const config = getConfig();
const mode = process.env.NODE_ENV ?? "production";

const runtime = getRuntime();
try {
  await runtime.ready;
} catch (error) {
  log.error("cannot start: the database is not reachable or a migration failed", {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
}

const cleanup = startDatabaseCleanup(runtime);

const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
const instanceId = randomBytes(4).toString("hex");
const server = createParleyServer({
  instanceId,
  build,
  publicDir: path.join(root, "public"),
  mode,
  production: config.NODE_ENV === "production",
  origin: config.ORIGIN,
  operatorToken: config.OPERATOR_TOKEN,
  keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
  responseCacheMaxBytes: config.RESPONSE_CACHE_MAX_BYTES,
  responseCacheTtlSeconds: config.CACHE_TTL_SECONDS,
  logError: (message, fields) => log.error(message, fields),
  logInfo: (message, fields) => log.info(message, fields),
  logDebug: config.LOG_LEVEL === "debug" ? (message, fields) => log.debug(message, fields) : undefined,
});
const metricsServer = config.METRICS_PORT ? createMetricsServer() : null;
metricsServer?.listen(config.METRICS_PORT, config.METRICS_HOST, () =>
  log.info(`metrics on http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics`),
);
shutDownOnSignals(
  createShutdown(server, {
    // Replies being written get what is left of the grace period; the rest end as interrupted.
    finishBackgroundWork: async (withinMs) => {
      const replies = await finishRunningReplies(withinMs);
      if (replies.finished + replies.interrupted > 0) log.info("replies in flight at shutdown", replies);
    },
    closeResources: async () => {
      metricsServer?.close();
      await cleanup.stop();
      await runtime.close();
    },
    log: (message) => log.info(message),
  }),
);

/**
 * Connections the kernel may hold until they are accepted (capped by net.core.somaxconn).
 * Node's default, 511, overflowed when 5,000 tabs reconnected within a second while the main
 * thread was busy: dropped SYNs are retried by clients after 1, 3 and 7 s, so polls arrived
 * seconds late (bench/README.md, "Tabs").
 */
const LISTEN_BACKLOG = 4096;

server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  log.info(`Parley listening on http://${config.HOST}:${port}`, {
    database: runtime.database.kind,
    cache: runtime.store.kind,
    instance: instanceId,
  });
  // Under `npm run dev`, tell Remix's watcher this build is being served (it restarts us,
  // through node --watch-path=build, after each rebuild).
  if (build.mode === "development") void broadcastDevReady(build);
});
