import type { HotStore } from "./hot-store";
import { createMemoryHotStore } from "./memory-store";
import { createRedisHotStore } from "./redis-store";

export interface HotStoreConfig {
  /** When set (and not blank), Redis is the hot store; otherwise an in-process one is used. */
  redisUrl?: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  memoryMaxBytes?: number;
  logger?: (msg: string) => void;
  /** Where Redis keys get their generation (see redis-generation.ts); Parley keeps it in Postgres. */
  generationFor?: (runId: string) => Promise<number>;
}

export function createHotStore(config: HotStoreConfig): HotStore {
  const redisUrl = config.redisUrl?.trim();
  if (redisUrl) {
    return createRedisHotStore({
      url: redisUrl,
      commandTimeoutMs: config.commandTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      logger: config.logger,
      generation: config.generationFor ? { generationFor: config.generationFor } : undefined,
    });
  }
  return createMemoryHotStore({ maxBytes: config.memoryMaxBytes });
}
