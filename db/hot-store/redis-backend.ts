import { createClient, createCluster, createSentinel } from "redis";

/**
 * The three shapes of Redis the hot store can run on, behind one small surface: a single
 * server (REDIS_URL), a Redis Cluster (seed nodes), or a master found through Sentinel. Each
 * is a node-redis client with the same bounded options (no offline queue, capped reconnects,
 * connect timeout), and optional TLS with a CA of our own.
 */
export type RedisTarget =
  | { kind: "standalone"; url: string }
  | { kind: "cluster"; urls: readonly string[] }
  | { kind: "sentinel"; urls: readonly string[]; name: string };

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The commands the store sends. Cluster and Sentinel clients have the same methods (a cluster
 * routes each by its first key), so they are used through the single-server client's types.
 */
export type RedisCommands = Pick<
  RedisClient,
  "get" | "mGet" | "set" | "del" | "eval" | "multi" | "ping" | "info" | "publish"
>;

export interface RedisBackendOptions {
  connectTimeoutMs: number;
  /** PEM of the CA that signed the servers' certificates, for rediss:// URLs. */
  tlsCa?: string;
}

export interface RedisBackendEvents {
  /** A connection to some server failed: the store is owed a reconnect call. */
  error(error: unknown): void;
  /** A connection (to any node) is ready again. */
  ready(): void;
}

export interface RedisBackend {
  readonly commands: RedisCommands;
  readonly isReady: boolean;
  /**
   * The run ids of every server that holds keys now (the master; every cluster master),
   * as one string: it changes whenever any of them restarts or is replaced.
   */
  identity(): Promise<string>;
  /**
   * Listens on a pub/sub channel; the client subscribes again by itself after a reconnect.
   * On a single server this puts the connection in subscriber mode: use a backend of its own.
   */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
}

/** Never give up (a false/Error would kill the client for good); capped, with jitter. */
const reconnectStrategy = (retries: number) =>
  Math.min(retries * 100, 2000) + Math.floor(Math.random() * 100);

export function openRedisBackend(
  target: RedisTarget,
  options: RedisBackendOptions,
  on: RedisBackendEvents,
): RedisBackend {
  if (target.kind === "cluster") return openCluster(target.urls, options, on);
  if (target.kind === "sentinel") return openSentinel(target.urls, target.name, options, on);
  return openStandalone(target.url, options, on);
}

function socketOptions(url: string, options: RedisBackendOptions) {
  const tls = new URL(url).protocol === "rediss:";
  return {
    connectTimeout: options.connectTimeoutMs,
    reconnectStrategy,
    ...(tls ? { tls: true as const, ...(options.tlsCa ? { ca: options.tlsCa } : {}) } : {}),
  };
}

function credentials(url: string): { username?: string; password?: string } {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

function openStandalone(url: string, options: RedisBackendOptions, on: RedisBackendEvents): RedisBackend {
  const client: RedisClient = createClient({
    url,
    // Without this, commands issued while disconnected wait in memory and run much later,
    // possibly after the invalidation replay: a stale SET would resurrect old data.
    disableOfflineQueue: true,
    // No node-redis command timeout: it only covers commands not yet written to the socket
    // (see RedisConnection.run, whose own timer bounds every command), and the timer signal it
    // creates per command cost ~14% of the sync check's CPU in a profile.
    socket: socketOptions(url, options),
  });
  // An EventEmitter 'error' without a listener crashes the process.
  client.on("error", on.error);
  client.on("ready", on.ready);
  // Not awaited: start-up must not wait for Redis. Failures arrive as 'error' events and
  // the client keeps retrying; this promise only rejects when we destroy the client.
  client.connect().catch(() => {});
  return {
    commands: client,
    get isReady() {
      return client.isReady;
    },
    identity: async () => parseRunId(await client.info("server")),
    subscribe: (channel, listener) => client.subscribe(channel, listener),
    close: () => client.close(),
    destroy: () => client.destroy(),
  };
}

function openCluster(
  urls: readonly string[],
  options: RedisBackendOptions,
  on: RedisBackendEvents,
): RedisBackend {
  const cluster = createCluster({
    rootNodes: urls.map((url) => ({ url, socket: socketOptions(url, options) })),
    // Every node connection (found through the seeds) gets these, credentials included.
    defaults: { ...credentials(urls[0]), disableOfflineQueue: true, socket: socketOptions(urls[0], options) },
  });
  cluster.on("error", on.error);
  cluster.on("node-error", on.error);
  cluster.on("node-ready", on.ready);
  let destroyed = false;
  // A cluster client that cannot discover the topology at start gives up, unlike a single
  // client: retry here, with the same capped delay, until it connects or is destroyed.
  const connect = (attempt: number) => {
    cluster.connect().then(
      () => (destroyed ? cluster.destroy() : on.ready()),
      (error: unknown) => {
        if (destroyed) return;
        on.error(error);
        setTimeout(() => connect(attempt + 1), reconnectStrategy(attempt)).unref();
      },
    );
  };
  connect(1);
  return {
    commands: cluster as unknown as RedisCommands,
    get isReady() {
      return cluster.isReady;
    },
    async identity() {
      const runIds = await Promise.all(
        cluster.masters.map(async (master) =>
          parseRunId(await (await cluster.nodeClient(master)).info("server")),
        ),
      );
      if (runIds.length === 0) throw new Error("the cluster has no known master");
      return runIds.sort().join(",");
    },
    // Classic pub/sub reaches every node of a cluster: one subscription on any node hears all.
    subscribe: (channel, listener) => cluster.subscribe(channel, listener),
    close: () => cluster.close(),
    destroy() {
      destroyed = true;
      if (cluster.isOpen) cluster.destroy();
    },
  };
}

function openSentinel(
  urls: readonly string[],
  name: string,
  options: RedisBackendOptions,
  on: RedisBackendEvents,
): RedisBackend {
  const nodeOptions = {
    ...credentials(urls[0]),
    disableOfflineQueue: true,
    socket: socketOptions(urls[0], options),
  };
  const sentinel = createSentinel({
    name,
    sentinelRootNodes: urls.map((url) => {
      const parsed = new URL(url);
      return { host: parsed.hostname, port: Number(parsed.port || 26379) };
    }),
    // The sentinels and the data nodes share credentials and TLS settings.
    nodeClientOptions: nodeOptions,
    sentinelClientOptions: nodeOptions,
  });
  sentinel.on("error", on.error);
  // A master connection failing, or the master being replaced: either way the server behind
  // the keys may change before the next 'ready', so the store must check it again.
  sentinel.on("client-error", (event: { type: string; error: unknown }) => {
    if (event.type === "MASTER") on.error(event.error);
  });
  sentinel.on("topology-change", (event: { type: string }) => {
    if (event.type === "MASTER_CHANGE") on.error(new Error("sentinel: the master changed"));
  });
  sentinel.on("ready", on.ready);
  // Not awaited: the sentinel client retries discovery by itself until it is closed.
  sentinel.connect().catch(() => {});
  return {
    commands: sentinel as unknown as RedisCommands,
    get isReady() {
      return sentinel.isReady;
    },
    identity: async () => parseRunId(await sentinel.info("server")),
    subscribe: async (channel, listener) => void (await sentinel.subscribe(channel, listener)),
    close: () => sentinel.close(),
    destroy: () => void sentinel.destroy().catch(() => {}),
  };
}

function parseRunId(info: string): string {
  const match = /^run_id:([0-9a-f]+)\s*$/m.exec(info);
  if (!match) throw new Error("INFO server has no run_id");
  return match[1];
}
