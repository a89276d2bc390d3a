import type { Server } from "node:http";

/**
 * On SIGTERM or SIGINT: stop accepting, let requests in flight finish (bounded), close idle
 * keep-alive sockets, then close Redis and Postgres and exit.
 */
export function handleShutdown(
  server: Server,
  closeResources: () => Promise<void>,
  log: (message: string) => void,
  graceMs = 10_000,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing requests in flight`);
    const force = setTimeout(() => {
      log("grace period over: closing remaining connections");
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(async () => {
      clearTimeout(force);
      await closeResources().catch(() => undefined);
      log("stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
