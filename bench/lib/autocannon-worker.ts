/**
 * The load generator process: runs autocannon for one job sent over IPC and reports back.
 * It runs in its own process so the bench's orchestration never competes with it for an
 * event loop, and so its CPU is never mistaken for the server's.
 */
import autocannon from "autocannon";
import type { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import type { LabelStats, LoadJob, LoadResult, WorkerMessage } from "./load-types";
import { SampleBuffer, summarize } from "./stats";

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

interface Recorder {
  latencies: SampleBuffer;
  bytes: number;
  statusCodes: Record<string, number>;
  labels: Map<string, { latencies: SampleBuffer; bytes: number; statusCodes: Record<string, number> }>;
}

// Module-level, so the measured run continues where the warm-up stopped (a send's chat must
// not be reused while its reply is still being generated).
const prefix = randomBytes(4).toString("hex");
let counter = 0;
let next = 0;

function run(job: LoadJob, durationSec: number, recorder: Recorder | null): PromiseLike<autocannon.Result> {
  const entries = job.entries;
  const instance = autocannon({
    url: job.baseUrl,
    connections: job.connections,
    duration: durationSec,
    timeout: job.timeoutSec ?? 30,
    excludeErrorStats: false,
    requests: [
      {
        setupRequest(request: Record<string, unknown>, context: Record<string, unknown>) {
          const entry = entries[next % entries.length];
          next += 1;
          context.label = entry.label;
          const uid = entry.path.includes("__UID__") || entry.body?.includes("__UID__") ? `${prefix}-${(counter += 1)}` : "";
          const body = entry.body?.replace(/__UID__/g, uid);
          return {
            ...request,
            method: entry.method,
            path: entry.path.replace(/__UID__/g, uid),
            // autocannon adds Content-Length itself (and writes it into this object).
            headers: body === undefined ? entry.headers : { ...entry.headers },
            body,
          };
        },
        onResponse(status: number, _body: string, context: Record<string, unknown>) {
          lastLabel = String(context.label);
          lastStatus = status;
        },
      },
    ] as unknown as autocannon.Request[],
  } as autocannon.Options) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  let lastLabel = "";
  let lastStatus = 0;
  if (recorder) {
    instance.on("response", (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      recorder.latencies.push(responseTime);
      recorder.bytes += resBytes;
      const code = String(statusCode ?? lastStatus);
      recorder.statusCodes[code] = (recorder.statusCodes[code] ?? 0) + 1;
      let label = recorder.labels.get(lastLabel);
      if (!label) {
        label = { latencies: new SampleBuffer(), bytes: 0, statusCodes: {} };
        recorder.labels.set(lastLabel, label);
      }
      label.latencies.push(responseTime);
      label.bytes += resBytes;
      label.statusCodes[code] = (label.statusCodes[code] ?? 0) + 1;
    });
  }
  return instance;
}

async function main(job: LoadJob) {
  if (job.warmupSec > 0) await run(job, job.warmupSec, null);
  const recorder: Recorder = { latencies: new SampleBuffer(), bytes: 0, statusCodes: {}, labels: new Map() };
  await send({ type: "measuring" });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run(job, job.durationSec, recorder);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const count = recorder.latencies.length;
  const perLabel: Record<string, LabelStats> = {};
  for (const [label, stats] of recorder.labels) {
    const summary = summarize(stats.latencies.values());
    perLabel[label] = {
      count: summary.count,
      p50: summary.p50,
      p99: summary.p99,
      bytesPerResponse: summary.count ? stats.bytes / summary.count : Number.NaN,
      statusCodes: stats.statusCodes,
    };
  }
  const loadResult: LoadResult = {
    seconds,
    requests: count,
    rps: count / seconds,
    latency: summarize(recorder.latencies.values()),
    bytesPerResponse: count ? recorder.bytes / count : Number.NaN,
    statusCodes: recorder.statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    perLabel,
    generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  await send({ type: "result", result: loadResult });
}

process.once("message", (job: LoadJob) => {
  main(job)
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      await send({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    });
});
