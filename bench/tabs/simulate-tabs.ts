/**
 * Simulates many visible browser tabs in one process, driven over IPC by the bench.
 *
 * poll: each tab is its own client with its own keep-alive connection (one http.Agent with
 *   maxSockets 1 per tab, like separate browsers), polling the sync check every interval;
 *   polls are spread evenly over the interval by PollScheduler, and a poll that is due while
 *   the tab's previous one is still in flight is skipped (counted).
 * sse: each tab holds one text/event-stream connection, opened evenly over a spread.
 *
 * After an "arm" command and the write (its start time comes as "t0"), each tab records when it first sees
 * the change: the first poll answering a higher chat version, or the pushed event.
 */
import http from "node:http";
import { memory, cpuSeconds } from "#bench/lib/process-stats";
import { SampleBuffer, summarize } from "#bench/lib/stats";
import type { SeenReport, TabsCommand, TabsEvent, TabsStats } from "./protocol";
import { PollScheduler } from "./scheduler";

type StartCommand = Extract<TabsCommand, { type: "start" }>;
type WatchCommand = Extract<TabsCommand, { type: "arm" }>;

const now = () => performance.timeOrigin + performance.now();
const emit = (event: TabsEvent) => process.send!(event);

let config: StartCommand;
let scheduler: PollScheduler | null = null;
let timer: NodeJS.Timeout | undefined;
let stopped = false;
const latencies = new SampleBuffer();
const lags = new SampleBuffer();
let errors = 0;
const errorSamples: string[] = [];
let connected = 0;
let heartbeats = 0;
const sseRequests: http.ClientRequest[] = [];

let watch: WatchCommand | null = null;
let seenAt: Float64Array = new Float64Array(0);
let seenCount = 0;
let watchTimer: NodeJS.Timeout | undefined;
let watchT0: number | null = null;
let watchDone: boolean | null = null; // null: still watching; else timed out or not

function noteError(message: string) {
  errors += 1;
  if (errorSamples.length < 5 && !errorSamples.includes(message)) errorSamples.push(message);
}

function markSeen(tab: number) {
  if (!watch || seenAt[tab] !== 0) return;
  seenAt[tab] = now();
  seenCount += 1;
  if (seenCount === config.tabs) finishWatch(false);
}

function finishWatch(timedOut: boolean) {
  if (!watch) return;
  clearTimeout(watchTimer);
  if (watchDone === null) watchDone = timedOut;
  if (watchT0 === null) return; // reported when the t0 command arrives
  const t0 = watchT0;
  timedOut = watchDone;
  const delays = new SampleBuffer();
  for (const at of seenAt) if (at !== 0) delays.push(at - t0);
  const report: SeenReport = {
    seen: seenCount,
    tabs: config.tabs,
    delayMs: summarize(delays.values()),
    timedOut,
  };
  watch = null;
  emit({ type: "seen", report });
}

/** Each tab its own session when the bench gave one cookie per tab (one tab per person). */
function cookieOf(tab: number): string {
  const cookies = config.cookies;
  return cookies && cookies.length > 0 ? cookies[tab % cookies.length] : config.cookie;
}

// ---- poll mode -------------------------------------------------------------------------

let agents: http.Agent[] = [];

function startPolling() {
  const url = new URL(config.baseUrl);
  const host = url.hostname;
  const port = Number(url.port);
  agents = Array.from(
    { length: config.tabs },
    () => new http.Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 30_000 }),
  );
  const headers = Array.from({ length: config.tabs }, (_, tab) => ({
    Cookie: cookieOf(tab),
    Accept: "application/json",
  }));
  const local = new PollScheduler({
    tabs: config.tabs,
    intervalMs: config.intervalMs,
    startAt: performance.now(),
  });
  scheduler = local;

  const fire = (tab: number, due: number) => {
    const started = performance.now();
    lags.push(started - due);
    let done = false;
    const finish = (failure?: string) => {
      if (done) return;
      done = true;
      if (failure) noteError(failure);
      local.complete(tab);
    };
    const request = http.get(
      { host, port, path: config.path, headers: headers[tab], agent: agents[tab] },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => {
          latencies.push(performance.now() - started);
          if (response.statusCode !== 200) {
            finish(`status ${response.statusCode}`);
            return;
          }
          if (watch) {
            try {
              const state = JSON.parse(body) as { chat: number | null };
              if (state.chat !== null && state.chat > watch.afterVersion) markSeen(tab);
            } catch {
              finish("bad json");
              return;
            }
          }
          finish();
        });
        response.on("error", (error) => finish(error.message));
      },
    );
    request.setTimeout(config.requestTimeoutMs, () => request.destroy(new Error("poll timed out")));
    request.on("error", (error) => finish(error.message));
  };

  const tick = () => {
    if (stopped) return;
    local.advance(performance.now(), fire);
    const wait = Math.max(1, local.nextDueAt() - performance.now());
    timer = setTimeout(tick, wait);
  };
  tick();
  emit({ type: "started", connected: config.tabs, failed: 0 });
}

// ---- SSE mode --------------------------------------------------------------------------

function startSse() {
  let failed = 0;
  let settled = 0;
  const url = new URL(config.baseUrl);
  const open = (tab: number) => {
    const request = http.get(
      {
        host: url.hostname,
        port: Number(url.port),
        path: config.path,
        headers: { Cookie: cookieOf(tab), Accept: "text/event-stream" },
        agent: false,
      },
      (response) => {
        if (response.statusCode !== 200) {
          failed += 1;
          noteError(`status ${response.statusCode}`);
          response.resume();
          settle();
          return;
        }
        connected += 1;
        settle();
        let buffer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(": heartbeat")) {
              heartbeats += 1;
              continue;
            }
            const id = /^id: (\d+)$/m.exec(block);
            if (id && watch && Number(id[1]) >= watch.sseSequence) markSeen(tab);
          }
        });
        response.on("close", () => {
          if (!stopped) {
            connected -= 1;
            noteError("stream closed by server");
          }
        });
      },
    );
    request.on("error", (error) => {
      if (stopped) return;
      failed += 1;
      noteError(error.message);
      settle();
    });
    sseRequests.push(request);
  };
  const settle = () => {
    settled += 1;
    if (settled === config.tabs) emit({ type: "started", connected, failed });
  };
  const perTab = config.connectSpreadMs / config.tabs;
  let next = 0;
  const openSome = () => {
    if (stopped) return;
    const due = Math.min(config.tabs, Math.floor((performance.now() - begin) / perTab) + 1);
    while (next < due) open(next++);
    if (next < config.tabs) timer = setTimeout(openSome, Math.max(1, perTab));
  };
  const begin = performance.now();
  openSome();
}

// ---- commands --------------------------------------------------------------------------

function stats(): TabsStats {
  const mem = memory(process.pid);
  return {
    tabs: config.tabs,
    pollsStarted: scheduler?.started ?? 0,
    pollsCompleted: scheduler?.completed ?? 0,
    skippedPolls: scheduler?.skipped ?? 0,
    errors,
    errorSamples,
    pollLatencyMs: latencies.length ? summarize(latencies.values()) : null,
    fireLagMs: lags.length ? summarize(lags.values()) : null,
    connected,
    heartbeats,
    cpuSeconds: cpuSeconds(process.pid),
    rssBytes: mem.rss,
  };
}

process.on("message", (command: TabsCommand) => {
  try {
    switch (command.type) {
      case "start":
        config = command;
        if (command.mode === "poll") startPolling();
        else startSse();
        break;
      case "arm":
        watch = command;
        watchT0 = null;
        watchDone = null;
        seenAt = new Float64Array(config.tabs);
        seenCount = 0;
        watchTimer = setTimeout(() => finishWatch(true), command.timeoutMs);
        emit({ type: "armed" });
        break;
      case "t0":
        watchT0 = command.t0;
        if (watchDone !== null) finishWatch(watchDone);
        break;
      case "stats":
        emit({ type: "stats", stats: stats() });
        if (command.resetSamples) {
          latencies.clear();
          lags.clear();
        }
        break;
      case "stop":
        stopped = true;
        clearTimeout(timer);
        for (const request of sseRequests) request.destroy();
        for (const agent of agents) agent.destroy();
        setTimeout(() => process.exit(0), 50);
        break;
    }
  } catch (error) {
    emit({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
process.on("disconnect", () => process.exit(0));
