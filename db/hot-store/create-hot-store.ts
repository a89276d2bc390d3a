import type { HotStore } from "./hot-store";
import { createMemoryHotStore } from "./memory-store";
import type { RedisTarget } from "./redis-backend";
import { createRedisHotStore } from "./redis-store";

export interface HotStoreConfig {
  /** When set (and not blank), Redis is the hot store; otherwise an in-process one is used. */
  redisUrl?: string;
  /** A cluster or Sentinel (or a single server), instead of redisUrl. */
  redisTarget?: RedisTarget;
  /** PEM of the CA for rediss:// servers. */
  redisTlsCa?: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  memoryMaxBytes?: number;
  logger?: (msg: string) => void;
  /** Where Redis keys get their generation (see redis-generation.ts); Parley keeps it in Postgres. */
  generationFor?: (runId: string) => Promise<number>;
  /** The generation recorded for a server now (followed when another process moved it). */
  recordedGeneration?: (runId: string) => Promise<number | null>;
}

export function createHotStore(config: HotStoreConfig): HotStore {
  const redisUrl = config.redisUrl?.trim();
  const target =
    config.redisTarget ?? (redisUrl ? { kind: "standalone" as const, url: redisUrl } : undefined);
  if (target) {
    return createRedisHotStore({
      target,
      tlsCa: config.redisTlsCa,
      commandTimeoutMs: config.commandTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      logger: config.logger,
      generation: config.generationFor
        ? { generationFor: config.generationFor, recordedGeneration: config.recordedGeneration }
        : undefined,
    });
  }
  return createMemoryHotStore({ maxBytes: config.memoryMaxBytes });
}
