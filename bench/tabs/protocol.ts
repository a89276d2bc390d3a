import type { Summary } from "#bench/lib/stats";

/** Messages between the bench and the tab simulator process (IPC). */
export type TabsCommand =
  | {
      type: "start";
      mode: "poll" | "sse";
      baseUrl: string;
      /** Poll: the sync check path (with ?chat=…). SSE: the events path. */
      path: string;
      cookie: string;
      /** One cookie per tab (tab i sends cookies[i % length]); `cookie` when absent. */
      cookies?: string[];
      tabs: number;
      /** Poll interval (poll mode). */
      intervalMs: number;
      /** SSE: connections are opened evenly over this long. */
      connectSpreadMs: number;
      requestTimeoutMs: number;
    }
  | {
      /** Start watching for the change (sent before the write; answered by "armed"). */
      type: "arm";
      /** Poll: a response whose `chat` exceeds this has seen the new message. */
      afterVersion: number;
      /** SSE: an event with id >= this is the new message. */
      sseSequence: number;
      timeoutMs: number;
    }
  /** When the write started: epoch ms (performance.timeOrigin + performance.now()). */
  | { type: "t0"; t0: number }
  /** Answered by "stats"; with resetSamples the latency and lag samples start afresh after it. */
  | { type: "stats"; resetSamples?: boolean }
  | { type: "stop" };

export interface TabsStats {
  tabs: number;
  /** Poll mode. */
  pollsStarted: number;
  pollsCompleted: number;
  skippedPolls: number;
  /** Failed polls / dropped SSE connections. */
  errors: number;
  errorSamples: string[];
  /** Since the start, or since the last stats command with resetSamples. */
  pollLatencyMs: Summary | null;
  /** How late polls were fired versus their due time (the generator's own lag). */
  fireLagMs: Summary | null;
  /** SSE mode. */
  connected: number;
  heartbeats: number;
  /** The simulator process's CPU seconds and RSS (to show it was not the bottleneck). */
  cpuSeconds: number;
  rssBytes: number;
}

export interface SeenReport {
  seen: number;
  tabs: number;
  /** ms from the write to each tab having seen it. */
  delayMs: Summary;
  timedOut: boolean;
}

export type TabsEvent =
  | { type: "started"; connected: number; failed: number }
  | { type: "armed" }
  | { type: "seen"; report: SeenReport }
  | { type: "stats"; stats: TabsStats }
  | { type: "error"; message: string };
