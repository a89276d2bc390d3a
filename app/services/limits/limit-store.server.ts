import { HotStoreError, type HotStore, type RateRule, type RateVerdict } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { assertRateRule } from "#db/hot-store/rate-rule";
import { log } from "#app/lib/logger.server";

/**
 * Where limits are counted: the hot store (Redis, shared by every instance; or the in-process
 * store of the embedded default). While Redis cannot be reached, counting goes on in a small
 * store of this process's own, so a Redis outage never turns a limit into a 500 or lifts it:
 * the limits are then per instance (N instances allow up to N times as much) and start from
 * zero, and Redis's counts apply again as soon as it answers.
 */
export interface LimitStore {
  attempt(key: string, rule: RateRule, options?: { peek?: boolean }): Promise<RateVerdict>;
  forget(key: string): Promise<void>;
}

type Logger = Pick<typeof log, "warn" | "info">;

/** Counters only, a few dozen bytes each: 8 MiB holds well over 50,000 of them. */
const FALLBACK_MAX_BYTES = 8 * 1024 * 1024;

const stores = new WeakMap<HotStore, LimitStore>();

export function limitStore(store: HotStore, logger: Logger = log): LimitStore {
  let limits = stores.get(store);
  if (!limits) {
    limits = store.kind === "memory" ? direct(store) : withLocalFallback(store, logger);
    stores.set(store, limits);
  }
  return limits;
}

function direct(store: HotStore): LimitStore {
  return {
    attempt: (key, rule, options) => store.attempt(key, rule, options),
    forget: (key) => store.del([key]),
  };
}

function withLocalFallback(shared: HotStore, logger: Logger): LimitStore {
  let local: HotStore | undefined;
  let degraded = false;

  return {
    async attempt(key, rule, options) {
      assertRateRule(rule); // a bad rule is a bug, not an outage
      try {
        const verdict = await shared.attempt(key, rule, options);
        if (degraded) {
          degraded = false;
          logger.info("limits: counted in Redis again, shared by every instance");
        }
        return verdict;
      } catch (error) {
        // By name, not instanceof: under Parley's server the store comes from the server's copy
        // of db/hot-store and this code from the Remix bundle's, so their classes differ.
        if (!(error instanceof HotStoreError || (error instanceof Error && error.name === "HotStoreError")))
          throw error;
        if (!degraded) {
          degraded = true;
          logger.warn("limits: Redis unavailable; counting in this instance only until it answers", {
            error: error.message,
          });
        }
        local ??= createMemoryHotStore({ maxBytes: FALLBACK_MAX_BYTES });
        return local.attempt(key, rule, options);
      }
    },

    async forget(key) {
      // Both: a count made during an outage must not outlive a success either.
      await Promise.all([shared.del([key]).catch(() => undefined), local?.del([key])]);
    },
  };
}
