/**
 * The poll scheduler for simulated tabs: N tabs, each polling every `intervalMs`, their polls
 * spread evenly over the interval (tab i is due at start + (i + 0.5)/N · interval, then every
 * interval after that). Fixed rate, like a browser's setInterval: the next poll is due one
 * interval after the previous one was *due*, not after it completed.
 *
 * A poll is "skipped" when a tab's previous poll had not completed by the time the next one
 * is due: a real client would not stack requests, so the tab simply misses that beat. Skipped
 * polls are how an overloaded server shows up from the tabs' side.
 *
 * Pure bookkeeping (no timers, no I/O), so it is unit-tested; simulate-tabs.ts drives it.
 */
export interface PollSchedulerOptions {
  tabs: number;
  intervalMs: number;
  /** Time (ms, any clock) of the start of the first interval. */
  startAt: number;
}

export class PollScheduler {
  readonly tabs: number;
  readonly intervalMs: number;
  readonly startAt: number;
  /** Polls started. */
  started = 0;
  /** Polls completed (any outcome). */
  completed = 0;
  /** Polls that were due while the same tab's previous poll was still in flight. */
  skipped = 0;
  private readonly inFlight: Uint8Array;
  private round = 0;
  private cursor = 0;

  constructor(options: PollSchedulerOptions) {
    if (!(options.tabs > 0) || !Number.isInteger(options.tabs))
      throw new RangeError("tabs must be a positive integer");
    if (!(options.intervalMs > 0)) throw new RangeError("intervalMs must be positive");
    this.tabs = options.tabs;
    this.intervalMs = options.intervalMs;
    this.startAt = options.startAt;
    this.inFlight = new Uint8Array(options.tabs);
  }

  /** When tab `tab` is due in round `round`. */
  dueAt(tab: number, round: number): number {
    return this.startAt + ((tab + 0.5) / this.tabs) * this.intervalMs + round * this.intervalMs;
  }

  /** When the next poll (of any tab) is due. */
  nextDueAt(): number {
    return this.dueAt(this.cursor, this.round);
  }

  /** Polls in flight now. */
  get inFlightCount(): number {
    return this.started - this.completed;
  }

  /**
   * Handles every poll due at or before `now`, in due order: `fire(tab, dueAt)` for each tab
   * that may poll (it is then in flight until complete(tab)), a skip for each that may not.
   * Returns the number fired.
   */
  advance(now: number, fire: (tab: number, dueAt: number) => void): number {
    let fired = 0;
    for (;;) {
      const due = this.dueAt(this.cursor, this.round);
      if (due > now) break;
      const tab = this.cursor;
      this.cursor += 1;
      if (this.cursor === this.tabs) {
        this.cursor = 0;
        this.round += 1;
      }
      if (this.inFlight[tab] === 1) {
        this.skipped += 1;
        continue;
      }
      this.inFlight[tab] = 1;
      this.started += 1;
      fired += 1;
      fire(tab, due);
    }
    return fired;
  }

  /** The tab's poll finished (answered, failed or timed out). */
  complete(tab: number): void {
    if (this.inFlight[tab] !== 1) throw new Error(`tab ${tab} has no poll in flight`);
    this.inFlight[tab] = 0;
    this.completed += 1;
  }

  isInFlight(tab: number): boolean {
    return this.inFlight[tab] === 1;
  }
}
