/**
 * `npm run soak -- --minutes N [--rate R] [--connections C]`: a steady mixed load against one
 * Parley (Postgres + Redis, both private to the run) for N minutes, reporting every minute the
 * server's RSS, its V8 heap (from its own /metrics) and the minute's p99. Answers "does memory
 * creep, and does latency drift, under hours of ordinary traffic?", which the throughput bench
 * (short runs at full speed) cannot. Writes bench/results/soak-<timestamp>.{json,md}.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { buildIfNeeded } from "#server/build-if-needed";
import { BENCH_OPERATOR_TOKEN, startParley } from "./lib/app-process";
import { stopAllChildren } from "./lib/children";
import { prepareBenchDatabase } from "./lib/postgres";
import { memory } from "./lib/process-stats";
import { startRedis } from "./lib/redis-instance";
import { QUICK_PLAN, seedPostgres } from "./lib/seed";
import { mixEntries, sendEntries } from "./scenarios/common";
import { mixParts } from "./scenarios/mix";
import { SendSlots } from "./scenarios/send-slots";
import { renderSoakReport, type SoakMinute } from "./lib/soak-report";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SESSION_SECRET = "parley-soak-session-secret-not-for-production-0001";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    rate: { type: "string", default: "100" },
    connections: { type: "string", default: "10" },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const connections = Number(values.connections);
if (![minutes, rate, connections].every((value) => Number.isInteger(value) && value > 0)) {
  console.error("usage: npm run soak -- --minutes N [--rate requests/s] [--connections C] (whole numbers)");
  process.exit(2);
}

const started = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}`);
const tmpDir = mkdtempSync(path.join(os.tmpdir(), "parley-soak-"));
const logDir = path.join(tmpDir, "logs");
mkdirSync(logDir, { recursive: true });

const redis = await startRedis(logDir, root);
const db = await prepareBenchDatabase(
  process.env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  "parley_soak",
);
const cleanUp = async () => {
  await stopAllChildren();
  await redis.stop().catch(() => undefined);
  await db.close().catch(() => undefined);
};
process.on("SIGINT", () => void cleanUp().finally(() => process.exit(130)));

try {
  buildIfNeeded(root, log);
  const fixture = await seedPostgres(db.url, QUICK_PLAN, SESSION_SECRET);
  log(
    `seeded ${fixture.counts.users} users, ${fixture.counts.chats} chats, ${fixture.counts.messages} messages`,
  );
  const server = await startParley(
    "Parley + Redis",
    {
      databaseUrl: db.url,
      redisUrl: redis.url,
      sessionSecret: SESSION_SECRET,
      dataDir: path.join(tmpDir, "app"),
    },
    { root, logDir },
  );
  const slots = new SendSlots(fixture);
  const { parts } = mixParts(
    fixture,
    true,
    () => true,
    sendEntries(fixture, slots.take(slots.remaining), "form"),
  );
  const entries = mixEntries(parts);
  log(`Parley up (pid ${server.pid}); ${rate} req/s over ${connections} connections for ${minutes} min`);

  const rows: SoakMinute[] = [];
  let next = 0;
  let unique = 0;
  for (let minute = 1; minute <= minutes; minute += 1) {
    const result = await autocannon({
      url: server.baseUrl,
      connections,
      overallRate: rate,
      duration: 60,
      requests: [
        {
          setupRequest: (request: Record<string, unknown>) => {
            const entry = entries[next++ % entries.length];
            const uid = `soak-${(unique += 1)}`;
            return {
              ...request,
              method: entry.method,
              path: entry.path.replace(/__UID__/g, uid),
              headers: { ...entry.headers },
              body: entry.body?.replace(/__UID__/g, uid),
            };
          },
        },
      ] as unknown as autocannon.Request[],
    });
    const mem = memory(server.pid);
    const heap = await heapUsedBytes(server.baseUrl);
    const row: SoakMinute = {
      minute,
      requests: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      failures: result.errors + result.timeouts + result["5xx"],
      rssMB: mem.rss / 2 ** 20,
      heapMB: heap / 2 ** 20,
    };
    rows.push(row);
    log(
      `minute ${minute}: ${row.requests} requests, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `failures ${row.failures}, RSS ${row.rssMB.toFixed(0)} MB, heap ${row.heapMB.toFixed(0)} MB`,
    );
  }
  const errors = server.logErrors();
  const report = renderSoakReport({
    rate,
    connections,
    rows,
    logErrors: errors.count,
    startedAt: new Date(),
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, `soak-${stamp}.json`),
    JSON.stringify({ rate, connections, rows }, null, 2),
  );
  writeFileSync(path.join(resultsDir, `soak-${stamp}.md`), report);
  console.log(`\n${report}`);
} finally {
  await cleanUp();
}

/** The server's V8 heap in use, read from its own metrics (nodejs_heap_size_used_bytes). */
async function heapUsedBytes(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { Authorization: `Bearer ${BENCH_OPERATOR_TOKEN}` },
  }).catch(() => null);
  const text = response?.ok ? await response.text() : "";
  const match = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}
