/** Messages between the bench and the profiler client process (IPC). */
export type ProfilerCommand =
  | { type: "connect"; inspectorUrl: string; intervalMicros: number }
  | { type: "start" }
  | { type: "stop"; file: string }
  | { type: "collect" };

export type ProfilerReply =
  | { type: "connected" }
  | { type: "started" }
  | { type: "stopped"; file: string }
  | { type: "collected" }
  | { type: "error"; message: string };
