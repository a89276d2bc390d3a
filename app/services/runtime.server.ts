import path from "node:path";
import { databaseTimeouts, getConfig, type Config } from "#app/config.server";
import { log } from "#app/lib/logger.server";
import { redisTarget } from "#app/lib/redis-settings.server";
import { singleton } from "#app/lib/singleton.server";
import { createDb, type DbHandle } from "#db/client";
import { createHotStore } from "#db/hot-store/create-hot-store";
import type { HotStore } from "#db/hot-store/hot-store";
import { migrateToLatest } from "#db/migrate";
import { AccountRepository } from "#db/repositories/account-repository";
import { generationForRedisRun, recordedGenerationFor } from "#db/repositories/cache-generation";
import type { ChatRepository } from "#db/repositories/chat-repository";
import type { ChatPlacementRepository } from "#db/repositories/chat-placement-repository";
import { createRepositories } from "#db/repositories/create-repositories";
import type { ProjectRepository } from "#db/repositories/project-repository";
import type { SessionRepository } from "#db/repositories/session-repository";
import type { SharedLinkRepository } from "#db/repositories/shared-link-repository";
import { serverLimitMismatches } from "#db/server-limits";
import type { SearchRepository } from "#db/repositories/search-repository";
import type { TransferRepository } from "#db/repositories/transfer-repository";
import { RevocationFeed } from "#db/sessions/revocation-feed";
import { PROGRESS_TTL_SECONDS, replyProgressKey, replyStopKey } from "./assistant/reply-progress.server";

/**
 * Everything a request needs that lives longer than a request: the database, the hot store
 * and the repositories over them. Built once per process from the configuration.
 */
export interface Runtime {
  config: Config;
  database: DbHandle;
  store: HotStore;
  chats: ChatRepository;
  placement: ChatPlacementRepository;
  projects: ProjectRepository;
  sessions: SessionRepository;
  accounts: AccountRepository;
  sharedLinks: SharedLinkRepository;
  search: SearchRepository;
  transfers: TransferRepository;
  /** Resolves once migrations have run; requests wait on it. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a session's look-up is cached (in the hot store, and in each instance's memory for
 * as long as that copy). Revocation does not wait for it (the feed below refuses an ended
 * session within half a second), so it only sets how often each session is asked of Postgres:
 * at 60 s, 5,000 tabs of distinct people made 83 look-ups a second.
 */
const SESSION_LOOKUP_TTL_SECONDS = 300;
const DAY_SECONDS = 86_400;

function createRuntime(): Runtime {
  const config = getConfig();
  const database = createDb({
    databaseUrl: config.DATABASE_URL,
    migrationUrl: config.MIGRATION_DATABASE_URL,
    pooler: config.DB_POOLER,
    dataDir: path.join(config.DATA_DIR, "pglite"),
    timeouts: databaseTimeouts(config),
    warn: (message) => log.warn(message),
  });
  const store = createHotStore({
    redisUrl: config.REDIS_URL,
    redisTarget: redisTarget(config),
    redisTlsCa: config.REDIS_TLS_CA_FILE?.pem,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    memoryMaxBytes: config.MEMORY_STORE_MAX_BYTES,
    logger: (message) => log.warn(message),
    // Redis keys carry a generation kept in Postgres (so it outlives Redis and only grows):
    // a Redis that comes back older than it was can never serve its old entries.
    generationFor: async (runId) => {
      await ready;
      return generationForRedisRun(database.db, runId);
    },
    recordedGeneration: async (runId) => {
      await ready;
      return recordedGenerationFor(database.db, runId);
    },
  });
  // Half a second between reads of the revocation feed: an ended session is refused on every
  // instance within that, for the price of two indexed selects a second per instance.
  const revocations = new RevocationFeed(database.db, {
    pollMs: 500,
    retainSeconds: 2 * SESSION_LOOKUP_TTL_SECONDS,
    onError: (error) => log.warn("could not read session revocations", { error: String(error) }),
  });
  const repositories = createRepositories({
    db: database.db,
    store,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    revocations,
    sessionTtlSeconds: SESSION_LOOKUP_TTL_SECONDS,
    sessionLifetime: {
      idleSeconds: config.SESSION_IDLE_DAYS * DAY_SECONDS,
      maxSeconds: config.SESSION_MAX_DAYS * DAY_SECONDS,
    },
  });
  const accounts = new AccountRepository(
    database.db,
    store,
    repositories.cache,
    repositories.sessions,
    {
      chatPageSize: config.CHAT_PAGE_SIZE,
      messagePageSize: config.MESSAGE_PAGE_SIZE,
      replyKeys: (messageId) => [replyProgressKey(messageId), replyStopKey(messageId)],
      replyKeySeconds: PROGRESS_TTL_SECONDS,
    },
    repositories.sharedLinkPages,
  );
  const ready = migrateToLatest(database.migrationDb()).then((applied) => {
    if (applied.length > 0) log.info("migrated", { applied: applied.join(",") });
    revocations.start();
    if (config.DB_POOLER === "pgbouncer") void warnOfServerLimits(database, config);
  });
  return {
    config,
    database,
    store,
    chats: repositories.chats,
    placement: repositories.placement,
    projects: repositories.projects,
    sessions: repositories.sessions,
    accounts,
    sharedLinks: repositories.sharedLinks,
    search: repositories.search,
    transfers: repositories.transfers,
    ready,
    async close() {
      repositories.dispose();
      revocations.stop();
      await Promise.allSettled([store.close(), database.close()]);
    },
  };
}

/** Behind PgBouncer the Postgres-side limits are the role's: say at start when they are not Parley's. */
async function warnOfServerLimits(database: DbHandle, config: Config): Promise<void> {
  try {
    const mismatches = await serverLimitMismatches(database.db, databaseTimeouts(config));
    if (mismatches.length === 0) return;
    log.warn(
      "behind PgBouncer the Postgres-side limits come from the role or database (ALTER ROLE … SET statement_timeout = …)",
      { mismatches: mismatches.join("; ") },
    );
  } catch (error) {
    log.warn("could not read the Postgres-side limits", { error: String(error) });
  }
}

export function getRuntime(): Runtime {
  return singleton("runtime", createRuntime);
}

let migrated: Runtime | undefined;

/** The runtime, once its database is migrated (no await at all after the first time). */
export function readyRuntime(): Promise<Runtime> | Runtime {
  if (migrated) return migrated;
  const runtime = getRuntime();
  return runtime.ready.then(() => {
    migrated = runtime;
    return runtime;
  });
}

/**
 * Under another server (remix-serve), nothing else closes the pool and the Redis client, and
 * they would keep the process alive after that server stopped listening: close them on
 * SIGTERM/SIGINT, after a moment for requests in flight. Parley's own server closes them
 * itself, after draining, and marks the process so this stays out of its way.
 */
export function closeRuntimeOnSignalsUnlessOwnServer(): void {
  if ((globalThis as { __parleyOwnServer?: boolean }).__parleyOwnServer) return;
  singleton("close-on-signals", () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        setTimeout(() => void getRuntime().close(), 500);
      });
    }
    return true;
  });
}
