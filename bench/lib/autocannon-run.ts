import path from "node:path";
import { spawnChild } from "./children";
import type { LoadJob, LoadResult, WorkerMessage } from "./load-types";
import { cpuSeconds, machineBusySeconds, memory } from "./process-stats";

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
}

export interface ExtraCpuSource {
  name: string;
  sample(): Promise<unknown>;
  delta(before: unknown, after: unknown): number;
}

export async function runLoad(
  job: LoadJob,
  server: { pid: number },
  paths: { root: string; logDir: string },
  extra: ExtraCpuSource[] = [],
): Promise<MeasuredLoad> {
  const child = spawnChild("autocannon", ["node", "--import", "tsx", path.join(paths.root, "bench/lib/autocannon-worker.ts")], {
    cwd: paths.root,
    env: { NODE_ENV: "production" },
    logDir: paths.logDir,
    ipc: true,
  });
  let cpuBefore = Number.NaN;
  let machineBefore = Number.NaN;
  let extraBefore: unknown[] = [];
  const outcome = new Promise<{ result: LoadResult; cpuAfter: number; machineAfter: number; extraAfter: unknown[] }>((resolve, reject) => {
    child.process.on("message", (message: WorkerMessage) => {
      if (message.type === "measuring") {
        cpuBefore = cpuSeconds(server.pid);
        machineBefore = machineBusySeconds();
        void Promise.all(extra.map((source) => source.sample())).then((samples) => {
          extraBefore = samples;
        });
      } else if (message.type === "result") {
        const cpuAfter = cpuSeconds(server.pid);
        const machineAfter = machineBusySeconds();
        void Promise.all(extra.map((source) => source.sample())).then((extraAfter) =>
          resolve({ result: message.result, cpuAfter, machineAfter, extraAfter }),
        );
      } else if (message.type === "error") {
        reject(new Error(`load generator failed: ${message.message}`));
      }
    });
    void child.exited.then((code) => reject(new Error(`load generator exited (${code}) without a result:\n${child.tail()}`)));
  });
  child.process.send(job);
  try {
    const { result, cpuAfter, machineAfter, extraAfter } = await outcome;
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
      serverCpuSeconds,
      cpuMsPerRequest: (serverCpuSeconds * 1000) / result.requests,
      serverCores: serverCpuSeconds / result.seconds,
      extraCpuMsPerRequest,
      serverRssBytes: mem.rss,
      serverPeakRssBytes: mem.peakRss,
      machineBusyCores: machineBusy / result.seconds,
      foreignCores: Math.max(0, machineBusy - serverCpuSeconds - result.generatorCpuSeconds - extraSeconds) / result.seconds,
    };
  } finally {
    await child.stop();
  }
}
