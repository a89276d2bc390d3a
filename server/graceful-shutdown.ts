import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * How Parley's server leaves, so a rolling restart behind a load balancer loses no request:
 * 1. stop listening: a new connection is refused, which a proxy retries on another instance
 *    for any method (nothing was sent);
 * 2. close idle keep-alive connections, and answer every request still arriving on a kept-alive
 *    connection (or in flight when draining began) with `Connection: close`, so each connection
 *    ends after its answer instead of idling until the keep-alive timeout;
 * 3. when the last connection has closed, give background work (replies being written) what is
 *    left of the grace period, then close Postgres and Redis and exit.
 * A connection still open when the grace period ends is closed.
 */
export interface ShutdownOptions {
  /** Closes the database, the hot store and timers. */
  closeResources: () => Promise<void>;
  /** Work that outlives requests, given the milliseconds left of the grace period. */
  finishBackgroundWork?: (withinMs: number) => Promise<void>;
  log: (message: string) => void;
  graceMs?: number;
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** True from the moment draining begins. */
  readonly draining: boolean;
  /** Drains and exits; resolves after `exit` was called. A second call waits for the first. */
  begin(reason: string): Promise<void>;
}

const DEFAULT_GRACE_MS = 10_000;

export function createShutdown(server: Server, options: ShutdownOptions): Shutdown {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;
  let finished: Promise<void> | undefined;
  /** Responses not yet finished, so draining can mark those whose headers are not out yet. */
  const open = new Set<ServerResponse>();

  // Before Parley's own handler, so the header is there whatever answers the request.
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader("Connection", "close");
    open.add(res);
    // 'close' follows 'finish' and also marks a response whose connection went away.
    res.once("close", () => {
      open.delete(res);
      // A response that went out as keep-alive before draining began: its connection is idle
      // now, and closed here rather than left to the keep-alive timeout.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  async function drain(reason: string): Promise<void> {
    draining = true;
    const deadline = Date.now() + graceMs;
    options.log(`${reason}: finishing requests in flight`);
    for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
    const force = setTimeout(() => {
      options.log("grace period over: closing remaining connections");
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    if (options.finishBackgroundWork) {
      await options.finishBackgroundWork(Math.max(0, deadline - Date.now())).catch((error: unknown) => {
        options.log(`background work did not finish: ${String(error)}`);
      });
    }
    await options.closeResources().catch(() => undefined);
    options.log("stopped");
    exit(0);
  }

  return {
    get draining() {
      return draining;
    },
    begin(reason) {
      finished ??= drain(reason);
      return finished;
    },
  };
}

/** Drains on SIGTERM (what `docker stop` and process managers send) and SIGINT (Ctrl-C). */
export function shutDownOnSignals(shutdown: Shutdown): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void shutdown.begin(signal));
  }
}
