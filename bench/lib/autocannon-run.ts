import path from "node:path";
import { spawnChild } from "./children";
import type { LoadJob, LoadResult, WorkerMessage } from "./load-types";
import { busiestOthers, cpuSeconds, machineBusySeconds, memory, snapshotProcesses } from "./process-stats";

/**
 * Runs one load job in a separate autocannon process and measures the server while it
 * runs: its CPU (utime + stime from /proc) over exactly the measured window, and its RSS
 * afterwards. CPU per request = server CPU seconds / responses.
 */
export interface MeasuredLoad extends LoadResult {
  serverCpuSeconds: number;
  /** Server CPU milliseconds per response. */
  cpuMsPerRequest: number;
  /** Server CPU as a fraction of one core during the run. */
  serverCores: number;
  /** Extra processes measured alongside (Redis, Postgres backends): CPU ms per response. */
  extraCpuMsPerRequest: Record<string, number>;
  serverRssBytes: number;
  serverPeakRssBytes: number;
  /** Cores the whole machine was busy during the run, and how much of that was no bench process. */
  machineBusyCores: number;
  foreignCores: number;
  /** The busiest processes that were not the server or the generator ("command (cores)"). */
  busiestOthers: string[];
  /** The cold pass before the warm-up (every entry once), when the job asked for one. */
  cold?: { requests: number; seconds: number; cpuMsPerRequest: number };
}

export interface ExtraCpuSource {
  name: string;
  /** The process measured, if it is one (left out of "busiest other processes"). */
  pid?: number;
  sample(): Promise<unknown>;
  delta(before: unknown, after: unknown): number;
}

/**
 * Waits (up to maxMs) until the machine is nearly idle: other people's builds or tests on a
 * 2-core machine would otherwise take CPU from the server being measured. Returns how long
 * it waited and how busy the machine still was.
 */
export async function waitForIdleMachine(
  maxMs: number,
  busyCores = 0.3,
): Promise<{ waitedMs: number; busyCores: number }> {
  const started = Date.now();
  let busy = Number.NaN;
  do {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 300));
    busy = (machineBusySeconds() - before) / 0.3;
    if (busy < busyCores) break;
  } while (Date.now() - started < maxMs);
  return { waitedMs: Date.now() - started, busyCores: busy };
}

export async function runLoad(
  job: LoadJob,
  server: { pid: number },
  paths: { root: string; logDir: string },
  extra: ExtraCpuSource[] = [],
  idleWaitMs = 0,
  /** Called when the warm-up is over and the measured run starts (e.g. to reset counters). */
  onMeasuring?: () => void | Promise<void>,
): Promise<MeasuredLoad> {
  if (idleWaitMs > 0) await waitForIdleMachine(idleWaitMs);
  const child = spawnChild(
    "autocannon",
    ["node", "--import", "tsx", path.join(paths.root, "bench/lib/autocannon-worker.ts")],
    {
      cwd: paths.root,
      env: { NODE_ENV: "production" },
      logDir: paths.logDir,
      ipc: true,
    },
  );
  let cpuBefore = Number.NaN;
  let machineBefore = Number.NaN;
  let processesBefore = new Map<number, number>();
  let processesAfter = new Map<number, number>();
  let extraBefore: unknown[] = [];
  let coldCpuBefore = Number.NaN;
  let cold: MeasuredLoad["cold"];
  const outcome = new Promise<{
    result: LoadResult;
    cpuAfter: number;
    machineAfter: number;
    extraAfter: unknown[];
  }>((resolve, reject) => {
    child.process.on("message", (message: WorkerMessage) => {
      if (message.type === "cold") {
        coldCpuBefore = cpuSeconds(server.pid);
      } else if (message.type === "cold-done") {
        const seconds = cpuSeconds(server.pid) - coldCpuBefore;
        cold = {
          requests: message.pass.requests,
          seconds: message.pass.seconds,
          cpuMsPerRequest: (seconds * 1000) / message.pass.requests,
        };
      } else if (message.type === "measuring") {
        void onMeasuring?.();
        cpuBefore = cpuSeconds(server.pid);
        machineBefore = machineBusySeconds();
        processesBefore = snapshotProcesses();
        void Promise.all(extra.map((source) => source.sample())).then((samples) => {
          extraBefore = samples;
        });
      } else if (message.type === "result") {
        const cpuAfter = cpuSeconds(server.pid);
        const machineAfter = machineBusySeconds();
        processesAfter = snapshotProcesses();
        void Promise.all(extra.map((source) => source.sample())).then((extraAfter) =>
          resolve({ result: message.result, cpuAfter, machineAfter, extraAfter }),
        );
      } else if (message.type === "error") {
        reject(new Error(`load generator failed: ${message.message}`));
      }
    });
    void child.exited.then((code) =>
      reject(new Error(`load generator exited (${code}) without a result:\n${child.tail()}`)),
    );
  });
  child.process.send(job);
  try {
    const { result: raw, cpuAfter, machineAfter, extraAfter } = await outcome;
    // NaN (no samples) arrives as null through IPC's JSON.
    const number = (value: unknown) => (typeof value === "number" ? value : Number.NaN);
    const result: LoadResult = {
      ...raw,
      bytesPerResponse: number(raw.bytesPerResponse),
      latency: Object.fromEntries(
        Object.entries(raw.latency).map(([key, value]) => [key, number(value)]),
      ) as unknown as LoadResult["latency"],
    };
    const serverCpuSeconds = cpuAfter - cpuBefore;
    const extraCpuMsPerRequest: Record<string, number> = {};
    let extraSeconds = 0;
    extra.forEach((source, index) => {
      const seconds = source.delta(extraBefore[index], extraAfter[index]);
      extraSeconds += seconds;
      extraCpuMsPerRequest[source.name] = (seconds * 1000) / result.requests;
    });
    const machineBusy = machineAfter - machineBefore;
    const mem = memory(server.pid);
    return {
      ...result,
      cold,
      serverCpuSeconds,
      cpuMsPerRequest: (serverCpuSeconds * 1000) / result.requests,
      serverCores: serverCpuSeconds / result.seconds,
      extraCpuMsPerRequest,
      serverRssBytes: mem.rss,
      serverPeakRssBytes: mem.peakRss,
      machineBusyCores: machineBusy / result.seconds,
      foreignCores:
        Math.max(0, machineBusy - serverCpuSeconds - result.generatorCpuSeconds - extraSeconds) /
        result.seconds,
      busiestOthers: busiestOthers(
        processesBefore,
        processesAfter,
        result.seconds,
        new Set([
          server.pid,
          child.pid,
          process.pid,
          ...extra.flatMap((source) => (source.pid ? [source.pid] : [])),
        ]),
      ),
    };
  } finally {
    await child.stop();
  }
}
