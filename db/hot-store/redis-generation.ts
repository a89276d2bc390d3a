import { KEY_PREFIX } from "./hot-store";
import type { RedisConnection } from "./redis-connection";

export interface CacheGenerationOptions {
  /**
   * The cache generation to use with the Redis server whose run id is `runId` (with a cluster,
   * the run ids of all its masters, sorted and joined by commas). Kept outside Redis (in
   * Postgres) and only ever growing, so a generation is never reused with older data.
   */
  generationFor(runId: string): Promise<number>;
  /**
   * The generation recorded for `runId` now, or null when the record is another server's: read
   * on every periodic check, so a process follows a generation another one moved for the same
   * server (every process must key by the same one, or their writes would not invalidate each
   * other's entries). Without it a process moves only when it sees the run id change.
   */
  recordedGeneration?(runId: string): Promise<number | null>;
  /** How often the server's run id is checked besides every reconnect (a proxy may hide a swap). */
  checkEveryMs?: number;
  logger: (msg: string) => void;
  /** Called each time a generation is (re-)established. */
  onEstablished?: () => void;
}

/**
 * Redis can come back older than it was without any error reaching Parley: restarted from a
 * snapshot or an AOF, or failed over to a replica that lagged. Its old version keys and cached
 * entries would then be served as current. Every key therefore carries a generation, and the
 * generation changes whenever the Redis server does (its run id is new after every restart
 * and differs between servers): entries written before are never read again, and expire by TTL.
 *
 * With a cluster the identity is every master's run id: a node that restarts (losing its data
 * or reloading an old snapshot) or a replica promoted in a master's place moves the generation
 * of every key, which is coarse but never stale. Behind Sentinel it is the current master's
 * run id, so a failover to a replica that lagged moves it too.
 *
 * Until the generation for the current server is known (at start, and after every reconnect
 * until the run id has been checked), `prefix()` is null and the store refuses commands, so
 * callers read Postgres, exactly as during an outage.
 */
export class CacheGeneration {
  private current: { runId: string; generation: number; prefix: string } | null = null;
  private establishing: Promise<void> | null = null;
  /** A read of the recorded generation in flight (kept apart: a slow Postgres must not hold up the run-id check). */
  private following = false;
  /** Bumped by distrust(): a check that began before it must not set what it read. */
  private epoch = 0;
  private lastRunId: string | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: CacheGenerationOptions,
  ) {
    this.timer = setInterval(() => void this.check(), options.checkEveryMs ?? 1_000);
    this.timer.unref();
  }

  /** The key prefix of the current generation, or null while it is not established. */
  prefix(): string | null {
    if (!this.current) void this.check();
    return this.current?.prefix ?? null;
  }

  /** After a reconnect nothing is trusted until the run id has been read again. */
  distrust(): Promise<void> {
    this.current = null;
    this.epoch += 1;
    this.establishing = null;
    return this.check();
  }

  /** Reads the server's run id and, when it changed, moves to the generation for the new one. */
  check(): Promise<void> {
    if (!this.establishing) {
      const running = this.establish(this.epoch).finally(() => {
        if (this.establishing === running) this.establishing = null;
      });
      this.establishing = running;
    }
    return this.establishing;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async establish(epoch: number): Promise<void> {
    let runId: string;
    try {
      runId = await this.connection.identity();
    } catch {
      return; // Redis is not answering: commands fail anyway, and the next check tries again.
    }
    if (epoch !== this.epoch) return;
    if (this.current?.runId === runId) {
      void this.followRecorded(runId, epoch);
      return;
    }
    this.current = null;
    try {
      const generation = await this.options.generationFor(runId);
      if (epoch !== this.epoch) return;
      this.current = { runId, generation, prefix: generationPrefix(generation) };
      if (this.lastRunId !== null && this.lastRunId !== runId) {
        this.options.logger(`hot store: the redis server changed; cache generation ${generation}`);
      }
      this.lastRunId = runId;
      this.options.onEstablished?.();
    } catch (error) {
      this.options.logger(`hot store: could not establish the cache generation: ${String(error)}`);
    }
  }

  /** Moves to a newer generation another process recorded for the same server. */
  private async followRecorded(runId: string, epoch: number): Promise<void> {
    if (!this.options.recordedGeneration || this.following) return;
    this.following = true;
    try {
      const recorded = await this.options.recordedGeneration(runId);
      const current = this.current;
      if (recorded === null || epoch !== this.epoch || current?.runId !== runId) return;
      if (recorded <= current.generation) return;
      this.current = { runId, generation: recorded, prefix: generationPrefix(recorded) };
      this.options.logger(
        `hot store: another instance moved the cache generation to ${recorded}; following it`,
      );
      this.options.onEstablished?.();
    } catch {
      // Postgres is not answering: keep the generation in use; the next check reads again.
    } finally {
      this.following = false;
    }
  }
}

/** The key prefix of cache generation `generation` (every key Parley keeps in Redis starts with it). */
export function generationPrefix(generation: number): string {
  return `${KEY_PREFIX}g${generation}:`;
}
