import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { spawnChild, type Child } from "#bench/lib/children";
import type { RunningServer } from "#bench/lib/app-process";
import { memory, parseCpuSeconds } from "#bench/lib/process-stats";
import type { ProfilerCommand, ProfilerReply } from "./protocol";

/**
 * The bench's side of the profiler: a client process attached to one server's inspector
 * (inspector-client.ts), and the server's CPU split between its main thread (what the
 * profile samples) and its other threads (libuv's pool, where zlib's gzip streams run, and
 * V8's helpers: concurrent GC, the compiler), read from /proc over the same window.
 */
export interface ThreadCpu {
  /** Every thread but the profiler's own, seconds. */
  total: number;
  /** The main thread (the one the profile samples), seconds. */
  main: number;
}

/**
 * CPU seconds per thread from /proc/<pid>/task. V8's profiler thread ("v8:ProfEvntProc", the
 * only thread Node names) is left out: it exists only while profiling, and its cost is not
 * the server's.
 */
export function threadCpu(pid: number): ThreadCpu {
  let total = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      if (comm.startsWith("v8:Prof")) continue;
      const seconds = parseCpuSeconds(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
      total += seconds;
      if (Number(tid) === pid) main = seconds;
    } catch {
      // the thread ended while we looked
    }
  }
  return { total, main };
}

export class Profiler {
  private constructor(private readonly child: Child) {}

  static async attach(
    paths: { root: string; logDir: string },
    name: string,
    inspectorUrl: string,
    intervalMicros: number,
  ): Promise<Profiler> {
    const child = spawnChild(
      name,
      [
        "node",
        "--experimental-websocket",
        "--no-warnings",
        "--import",
        "tsx",
        path.join(paths.root, "bench/profile/inspector-client.ts"),
      ],
      { cwd: paths.root, env: {}, logDir: paths.logDir, ipc: true },
    );
    const profiler = new Profiler(child);
    try {
      await profiler.ask({ type: "connect", inspectorUrl, intervalMicros }, "connected");
    } catch (error) {
      await child.stop();
      throw error;
    }
    return profiler;
  }

  private ask(command: ProfilerCommand, expected: ProfilerReply["type"]): Promise<ProfilerReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`profiler: no "${expected}" within 30 s:\n${this.child.tail()}`));
      }, 30_000);
      const onMessage = (reply: ProfilerReply) => {
        cleanup();
        if (reply.type === "error") reject(new Error(`profiler: ${reply.message}`));
        else if (reply.type !== expected) reject(new Error(`profiler: "${reply.type}", not "${expected}"`));
        else resolve(reply);
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.process.off("message", onMessage);
      };
      this.child.process.on("message", onMessage);
      this.child.process.send(command);
    });
  }

  async start(): Promise<void> {
    await this.ask({ type: "start" }, "started");
  }

  /** Stops the profiler and writes the profile to `file`. */
  async stop(file: string): Promise<void> {
    await this.ask({ type: "stop", file }, "stopped");
  }

  /** Has V8 collect all the garbage it can (a full, compacting collection). */
  async collectGarbage(): Promise<void> {
    await this.ask({ type: "collect" }, "collected");
  }

  async close(): Promise<void> {
    await this.child.stop();
  }
}

/** How long V8's unmapper gets to hand freed pages back after a forced collection. */
const SETTLE_MS = 500;

/**
 * A server's RSS after V8 collected all the garbage it could (asked over the server's
 * inspector): memory the server holds, not garbage that its next collection would free. NaN
 * for a server started without an inspector.
 */
export async function rssAfterCollection(
  paths: { root: string; logDir: string },
  server: RunningServer,
): Promise<number> {
  if (!server.inspectorUrl) return Number.NaN;
  const client = await Profiler.attach(paths, `${server.name}-collect`, server.inspectorUrl, 1_000);
  try {
    await client.collectGarbage();
  } finally {
    await client.close();
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return memory(server.pid).rss;
}

/** Readings this close together count as settled. */
const SETTLED_BYTES = 2 * 1024 * 1024;
/**
 * The youngest a server may be for its first reading. A fresh Parley's RSS stays about 100 MB
 * above its idle level for 40-50 s after it is ready, collection or not, then V8 hands back
 * the pages of starting up (measured under tsx: 244 MB for 40 s, then 145 MB; bundled, as it
 * now runs, 134 then 101 MB, 0029). A reading taken before then made "memory per tab" negative.
 */
const MIN_AGE_MS = 60_000;

/**
 * A freshly started server's RSS after a collection, once it has settled: no earlier than a
 * minute after it was ready, then read every 10 s until two readings agree within 2 MB (at
 * most two minutes more).
 */
export async function settledRssAfterCollection(
  paths: { root: string; logDir: string },
  server: RunningServer,
): Promise<number> {
  const age = performance.now() - server.readyAt;
  if (age < MIN_AGE_MS) await new Promise((resolve) => setTimeout(resolve, MIN_AGE_MS - age));
  let previous = await rssAfterCollection(paths, server);
  for (let attempt = 0; attempt < 12 && Number.isFinite(previous); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const reading = await rssAfterCollection(paths, server);
    if (Math.abs(reading - previous) < SETTLED_BYTES) return reading;
    previous = reading;
  }
  return previous;
}
