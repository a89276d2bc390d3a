import path from "node:path";
import { spawnChild, type Child } from "#bench/lib/children";
import { cpuSeconds } from "#bench/lib/process-stats";
import type { ProfilerCommand, ProfilerReply } from "./protocol";

/**
 * The bench's side of the profiler: a client process attached to one server's inspector
 * (inspector-client.ts), and the server's CPU split between its main thread (what the
 * profile samples) and its other threads (libuv's pool, where zlib's gzip streams run, and
 * V8's helpers: concurrent GC, the compiler), read from /proc over the same window.
 */
export interface ThreadCpu {
  /** Whole process, seconds. */
  total: number;
  /** The main thread (the one the profile samples), seconds. */
  main: number;
}

export function threadCpu(pid: number): ThreadCpu {
  return { total: cpuSeconds(pid), main: cpuSeconds(pid, pid) };
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
