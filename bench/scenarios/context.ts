import type { BenchDatabase } from "#bench/lib/postgres";
import type { RedisInstance } from "#bench/lib/redis-instance";
import type { BenchResults } from "#bench/lib/results";
import type { Fixture } from "#bench/lib/seed";
import type { SendSlots } from "./send-slots";

/** What every scenario gets from bench/run.ts. */
export interface BenchContext {
  root: string;
  logDir: string;
  tmpDir: string;
  quick: boolean;
  sessionSecret: string;
  redis: RedisInstance;
  db: BenchDatabase;
  fixture: Fixture;
  embedded: { dataDir: string; fixture: Fixture } | null;
  /** A redis:// URL where nothing listens: every cache call fails fast and falls back. */
  deadRedisUrl: string;
  load: { connections: number; durationSec: number; warmupSec: number; idleWaitMs: number };
  results: BenchResults;
  /** Chats reserved for sends, handed out in disjoint ranges. */
  sendSlots: SendSlots;
  log(message: string): void;
  /** Tab counts for the idle-tabs scenario. */
  tabCounts: number[];
  /** Settings every Parley of the run gets besides the bench's own (--keep-alive-ms). */
  parleyExtra?: Record<string, string>;
}

export function paths(context: BenchContext) {
  return { root: context.root, logDir: context.logDir };
}
