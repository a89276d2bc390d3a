import { ErrorReply } from "redis";
import { TimeoutElapsedError, withTimeout } from "#db/lib/with-timeout";
import { HotStoreError } from "./hot-store";
import { openRedisBackend, type RedisBackend, type RedisCommands, type RedisTarget } from "./redis-backend";

export interface RedisConnectionOptions {
  target: RedisTarget;
  /** PEM of the CA for rediss:// servers whose certificates the system does not trust. */
  tlsCa?: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /**
   * When commands keep timing out and nothing at all has come back for this long, the
   * socket is presumed dead (half-open) and replaced: TCP alone takes many minutes to notice.
   */
  stalledAfterMs: number;
  logger: (msg: string) => void;
}

export interface RedisConnection {
  /**
   * Runs one command (or one MULTI) on the client if it is ready, bounded by the command
   * timeout. Every failure rejects with HotStoreError. A `probe` (PING) failing does not
   * count as an outage, so health checks alone never trigger onReconnect.
   */
  run<T>(
    op: string,
    command: (client: RedisCommands) => Promise<T>,
    options?: { probe?: boolean },
  ): Promise<T>;
  /** The run ids of the servers that hold the keys now (see RedisBackend.identity), bounded. */
  identity(): Promise<string>;
  onReconnect(listener: () => void): () => void;
  /**
   * Registers a callback for "a connection to some server failed" (the socket errored, not a
   * command): on a cluster or behind Sentinel the next reply may come from another server.
   */
  onConnectionError(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * Owns the node-redis client: connects in the background, never blocks a caller on a
 * connection that is not ready, logs an outage once, and tells listeners when Redis answers
 * again after a failure (so the cache can replay the invalidations it could not make).
 */
export function openRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { commandTimeoutMs, stalledAfterMs, logger } = options;
  const listeners = new Set<() => void>();
  const errorListeners = new Set<() => void>();
  let closed = false;
  let closing: Promise<void> | undefined;
  // A command failed or the socket errored since Redis last answered: listeners are owed a call.
  let failedSinceHealthy = false;
  let outageLogged = false;
  // Start of the oldest timed-out command that has had no reply since; cleared by any reply.
  let stalledSince: number | undefined;
  let client = connect();

  function connect(): RedisBackend {
    const created: RedisBackend = openRedisBackend(
      options.target,
      { connectTimeoutMs: options.connectTimeoutMs, tlsCa: options.tlsCa },
      {
        error(error: unknown) {
          if (created !== client || closed) return;
          failedSinceHealthy = true;
          logOutage(describe(error));
          for (const listener of [...errorListeners]) listener();
        },
        ready() {
          if (created === client && !closed) healthy();
        },
      },
    );
    return created;
  }

  function logOutage(reason: string): void {
    if (outageLogged) return;
    outageLogged = true;
    logger(
      `hot store: redis unavailable (${reason}); commands fail fast while it reconnects in the background`,
    );
  }

  function healthy(): void {
    stalledSince = undefined;
    if (outageLogged) {
      outageLogged = false;
      logger("hot store: redis reachable again");
    }
    if (!failedSinceHealthy) return;
    failedSinceHealthy = false;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        logger(`hot store: an onReconnect listener threw: ${describe(error)}`);
      }
    }
  }

  /** Any reply, late or an error reply, proves the server is answering on this socket. */
  function heardFrom(from: RedisBackend): void {
    if (from !== client || closed) return;
    stalledSince = undefined;
    if (failedSinceHealthy && from.isReady) healthy();
  }

  function timedOut(from: RedisBackend, startedAt: number): void {
    if (from !== client || closed) return;
    stalledSince ??= startedAt;
    const silentFor = Date.now() - stalledSince;
    if (silentFor < stalledAfterMs) return;
    logOutage(`no reply for ${silentFor} ms; replacing the connection`);
    stalledSince = undefined;
    client = connect();
    // Rejects whatever the old socket still owed; its late replies no longer matter.
    from.destroy();
  }

  async function run<T>(
    op: string,
    command: (client: RedisCommands) => Promise<T>,
    runOptions: { probe?: boolean } = {},
  ): Promise<T> {
    if (closed) throw new HotStoreError(`redis ${op}: the hot store is closed`);
    const current = client;
    // Checked here, not left to node-redis: MULTI skips its offline check and would queue.
    if (!current.isReady) {
      if (!runOptions.probe) failedSinceHealthy = true;
      throw new HotStoreError(`redis ${op}: not connected`);
    }
    const startedAt = Date.now();
    let pending: Promise<T>;
    try {
      pending = command(current.commands);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      () => heardFrom(current),
      (error: unknown) => {
        if (error instanceof ErrorReply) heardFrom(current);
      },
    );
    try {
      // Our own timer: node-redis stops timing a command once it is written, so a server
      // that accepts bytes but never answers (paused, half-open) would hang it forever.
      return await withTimeout(pending, commandTimeoutMs);
    } catch (error) {
      if (!(error instanceof ErrorReply) && !runOptions.probe) failedSinceHealthy = true;
      if (error instanceof TimeoutElapsedError) timedOut(current, startedAt);
      throw new HotStoreError(`redis ${op}: ${describe(error)}`, { cause: error });
    }
  }

  function onReconnect(listener: () => void): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      closed = true;
      listeners.clear();
      errorListeners.clear();
      const last = client;
      if (last.isReady) {
        // Lets in-flight commands finish, but a stuck server must not hold shutdown hostage.
        await withTimeout(last.close(), commandTimeoutMs).catch(() => {});
      }
      // Also stops the reconnect loop; idempotent after a completed close().
      last.destroy();
    })();
    return closing;
  }

  async function identity(): Promise<string> {
    if (closed) throw new HotStoreError("redis INFO: the hot store is closed");
    const current = client;
    if (!current.isReady) throw new HotStoreError("redis INFO: not connected");
    // Several servers may be asked (one per cluster master): a few command timeouts at most.
    return withTimeout(current.identity(), commandTimeoutMs * 4);
  }

  return {
    run,
    identity,
    onReconnect,
    onConnectionError: (listener) => void errorListeners.add(listener),
    close,
  };
}

function describe(error: unknown): string {
  // "localhost" tries IPv6 and IPv4 and fails with an AggregateError whose message is empty.
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
