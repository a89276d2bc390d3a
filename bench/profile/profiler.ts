import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { spawnChild, type Child } from "#bench/lib/children";
import { parseCpuSeconds } from "#bench/lib/process-stats";
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

  async close(): Promise<void> {
    await this.child.stop();
  }
}
