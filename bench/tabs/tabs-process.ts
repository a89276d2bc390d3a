import path from "node:path";
import { spawnChild, type Child } from "#bench/lib/children";
import type { SeenReport, TabsCommand, TabsEvent, TabsStats } from "./protocol";

/** The bench's handle on a simulate-tabs.ts process (its own process, its own event loop). */
export class TabsProcess {
  private readonly waiting = new Map<string, Array<(event: TabsEvent) => void>>();
  private failure: Error | null = null;

  private constructor(private readonly child: Child) {
    child.process.on("message", (event: TabsEvent) => {
      if (event.type === "error") {
        this.failure = new Error(`tab simulator: ${event.message}`);
        return;
      }
      const queue = this.waiting.get(event.type);
      const next = queue?.shift();
      if (next) next(event);
    });
    void child.exited.then((code) => {
      this.failure ??= new Error(`tab simulator exited (${code}):\n${child.tail()}`);
      for (const queue of this.waiting.values()) queue.splice(0);
    });
  }

  static spawn(paths: { root: string; logDir: string }, name: string): TabsProcess {
    const child = spawnChild(
      name,
      ["node", "--import", "tsx", path.join(paths.root, "bench/tabs/simulate-tabs.ts")],
      {
        cwd: paths.root,
        env: { NODE_ENV: "production", UV_THREADPOOL_SIZE: "4" },
        logDir: paths.logDir,
        ipc: true,
      },
    );
    return new TabsProcess(child);
  }

  get pid(): number {
    return this.child.pid;
  }

  private request<T extends TabsEvent["type"]>(
    command: TabsCommand | null,
    reply: T,
    timeoutMs: number,
  ): Promise<Extract<TabsEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const timer = setTimeout(
        () => reject(this.failure ?? new Error(`tab simulator: no "${reply}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const queue = this.waiting.get(reply) ?? [];
      queue.push((event) => {
        clearTimeout(timer);
        resolve(event as Extract<TabsEvent, { type: T }>);
      });
      this.waiting.set(reply, queue);
      if (command) this.child.process.send(command);
    });
  }

  start(command: Extract<TabsCommand, { type: "start" }>, timeoutMs: number) {
    return this.request(command, "started", timeoutMs);
  }

  arm(command: Omit<Extract<TabsCommand, { type: "arm" }>, "type">): Promise<unknown> {
    return this.request({ type: "arm", ...command }, "armed", 5_000);
  }

  /** Tells the simulator when the write started; resolves once every tab saw it (or the arm timed out). */
  async seen(t0: number, timeoutMs: number): Promise<SeenReport> {
    const pending = this.request(null, "seen", timeoutMs);
    this.child.process.send({ type: "t0", t0 } satisfies TabsCommand);
    return (await pending).report;
  }

  /** Counters so far; with resetSamples, latency and lag samples restart after this call. */
  async stats(options: { resetSamples?: boolean } = {}): Promise<TabsStats> {
    return (await this.request({ type: "stats", ...options }, "stats", 10_000)).stats;
  }

  async stop(): Promise<void> {
    if (this.child.process.connected) this.child.process.send({ type: "stop" } satisfies TabsCommand);
    await Promise.race([this.child.exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await this.child.stop();
  }
}
