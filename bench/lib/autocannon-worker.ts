/**
 * The load generator process: runs autocannon for one job sent over IPC and reports back.
 * It runs in its own process so the bench's orchestration never competes with it for an
 * event loop, and so its CPU is never mistaken for the server's.
 */
import autocannon from "autocannon";
import type { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import {
  COLD_PASS_MAX,
  type LabelStats,
  type LoadJob,
  type LoadResult,
  type WorkerMessage,
} from "./load-types";
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
let lastResponseAt = 0;

/**
 * One autocannon run of exactly `amount` requests: it ends when the last response has
 * arrived, so no request is left in flight to spill its server CPU into the next window
 * (with a fixed duration, up to `connections` slow requests would be cut off and their CPU
 * charged to the others). `maxSeconds` stops a run whose estimate was far off.
 */
function run(
  job: LoadJob,
  amount: number,
  recorder: Recorder | null,
  maxSeconds: number,
): PromiseLike<autocannon.Result> {
  const entries = job.entries;
  let lastLabel = "";
  let lastStatus = 0;
  const instance = autocannon({
    url: job.baseUrl,
    connections: Math.min(job.connections, amount),
    amount,
    timeout: job.timeoutSec ?? 30,
    excludeErrorStats: false,
    // autocannon notices the end of an `amount` run at its next sample tick: keep it short
    // (the run's own duration is taken from the last response, not from here).
    sampleInt: 50,
    requests: [
      {
        setupRequest(request: Record<string, unknown>, context: Record<string, unknown>) {
          const entry = entries[next % entries.length];
          next += 1;
          context.label = entry.label;
          const uid =
            entry.path.includes("__UID__") || entry.body?.includes("__UID__")
              ? `${prefix}-${(counter += 1)}`
              : "";
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
  } as autocannon.Options) as unknown as EventEmitter & PromiseLike<autocannon.Result> & { stop(): void };
  const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  instance.then(
    () => clearTimeout(guard),
    () => clearTimeout(guard),
  );
  instance.on("response", () => {
    lastResponseAt = performance.now();
  });
  if (recorder) {
    instance.on(
      "response",
      (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
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
      },
    );
  }
  return instance;
}

async function timed(job: LoadJob, amount: number, recorder: Recorder | null, maxSeconds: number) {
  const started = performance.now();
  lastResponseAt = started;
  const result = await run(job, amount, recorder, maxSeconds);
  // From the start to the last response: autocannon itself only stops at a sample tick.
  const seconds = (lastResponseAt - started) / 1000;
  return { result, seconds, rate: amount / Math.max(seconds, 0.001) };
}

async function main(job: LoadJob) {
  const c = job.connections;
  const cap = Math.max(10, job.durationSec * 4);
  // The cold pass: every entry once, measured apart (the first request to a chat pays its
  // cache misses, the first requests of a route its JIT), so that a first scenario's warm-up
  // never lands in its figure and the cold cost is still reported. It is the warm-up's start.
  if (job.coldPass) {
    const amount = Math.min(job.entries.length, COLD_PASS_MAX);
    await send({ type: "cold" });
    const pass = await timed(job, amount, null, cap * 4);
    await send({ type: "cold-done", pass: { requests: amount, seconds: pass.seconds } });
  }
  // Warm up: one request per connection, then runs sized by the rate seen so far until about
  // warmupSec have passed (the rate estimate improves as connections and caches warm), then
  // measure about durationSec worth of requests (at least two per connection).
  let { rate, seconds: warmed } = await timed(job, c, null, cap);
  for (let round = 0; round < 10 && warmed < job.warmupSec; round += 1) {
    const next = await timed(job, Math.max(c, Math.round(rate * (job.warmupSec - warmed))), null, cap);
    rate = next.rate;
    warmed += next.seconds;
  }
  const firstAmount = Math.min(500_000, Math.max(2 * c, Math.round(rate * job.durationSec)));
  // The measured run. When the warm-up's rate was far off (the run took under half the
  // target), it is done again with the rate it just saw: a run of a second or less is noise.
  let recorder: Recorder = { latencies: new SampleBuffer(), bytes: 0, statusCodes: {}, labels: new Map() };
  let amount = firstAmount;
  let measured: { result: autocannon.Result; seconds: number; rate: number };
  let cpu: NodeJS.CpuUsage;
  for (let attempt = 0; ; attempt += 1) {
    recorder = { latencies: new SampleBuffer(), bytes: 0, statusCodes: {}, labels: new Map() };
    await send({ type: "measuring" });
    const cpuBefore = process.cpuUsage();
    measured = await timed(job, amount, recorder, cap);
    cpu = process.cpuUsage(cpuBefore);
    if (attempt >= 2 || measured.seconds >= job.durationSec / 2 || amount >= 500_000) break;
    amount = Math.min(500_000, Math.max(amount + c, Math.round(measured.rate * job.durationSec)));
  }
  const { result, seconds } = measured;
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
  // On success the process waits for the bench to stop it (exiting here could overtake the
  // result message on the IPC channel).
  main(job).catch(async (error: unknown) => {
    await send({
      type: "error",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  });
});
