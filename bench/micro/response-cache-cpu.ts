/**
 * CPU per chat page served from the response cache against the same page rendered, side by
 * side in one run (decision 0024): two Parley servers on one seeded Postgres and a private
 * Redis, one with the cache (RESPONSE_CACHE_MAX_BYTES default) and one without (0). Server
 * CPU comes from /proc, so other load on the machine does not count; rounds alternate between
 * the two servers so drift hits both alike.
 *
 *   npx tsx bench/micro/response-cache-cpu.ts [--requests=300] [--rounds=3]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startParley, type ParleyEnv, type RunningServer } from "#bench/lib/app-process";
import { prepareBenchDatabase } from "#bench/lib/postgres";
import { cpuSeconds } from "#bench/lib/process-stats";
import { startRedis } from "#bench/lib/redis-instance";
import { seedPostgres } from "#bench/lib/seed";

const args = new Map(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]),
);
const REQUESTS = Number(args.get("requests") ?? 300);
const ROUNDS = Number(args.get("rounds") ?? 3);
const CONCURRENCY = 4;
const SECRET = "response-cache-cpu-session-secret-0123456789abcdef";
const root = path.resolve(import.meta.dirname, "../..");
const logDir = mkdtempSync(path.join(tmpdir(), "parley-response-cache-cpu-"));

const database = await prepareBenchDatabase(
  process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  "parley_bench_response_cache",
);
const redis = await startRedis(logDir, root);
const plan = {
  users: 10,
  chatsPerUser: 20,
  busyChats: 10,
  busyMessages: 200,
  regularMessagesMin: 2,
  regularMessagesMax: 12,
};
const fixture = await seedPostgres(database.url, plan, SECRET);
const env = (maxBytes?: string): ParleyEnv => ({
  databaseUrl: database.url,
  redisUrl: redis.url,
  sessionSecret: SECRET,
  dataDir: logDir,
  extra: maxBytes === undefined ? {} : { RESPONSE_CACHE_MAX_BYTES: maxBytes },
});
const servers = {
  cached: await startParley("cached", env(), { root, logDir }),
  uncached: await startParley("uncached", env("0"), { root, logDir }),
};

type Kind = "document" | "data";
const urlsOf = (kind: Kind) =>
  fixture.busy.map((chat) => ({
    path: `/chats/${chat.id}${kind === "data" ? ".data" : ""}`,
    cookie: fixture.users[chat.userIndex].cookie,
  }));

async function run(
  server: RunningServer,
  kind: Kind,
  count: number,
): Promise<{ cpuMs: number; hits: number }> {
  const urls = urlsOf(kind);
  let next = 0;
  let hits = 0;
  const before = cpuSeconds(server.pid);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const { path: target, cookie } = urls[next++ % urls.length];
        const response = await fetch(server.baseUrl + target, {
          headers: {
            Cookie: cookie,
            "Accept-Encoding": "gzip",
            Accept: kind === "document" ? "text/html" : "*/*",
          },
        });
        if (response.status !== 200) throw new Error(`${target}: ${response.status}`);
        if (response.headers.get("x-parley-cache") === "hit") hits += 1;
        await response.arrayBuffer();
      }
    }),
  );
  return { cpuMs: ((cpuSeconds(server.pid) - before) * 1000) / count, hits };
}

const results: Record<string, number[]> = {};
try {
  for (const server of Object.values(servers))
    for (const kind of ["document", "data"] as const) await run(server, kind, 60);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const kind of ["document", "data"] as const) {
      for (const [name, server] of Object.entries(servers)) {
        const { cpuMs, hits } = await run(server, kind, REQUESTS);
        (results[`${kind} ${name}`] ??= []).push(cpuMs);
        console.log(
          `round ${round + 1} ${kind} ${name}: ${cpuMs.toFixed(2)} ms CPU/request, ${hits}/${REQUESTS} hits`,
        );
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log("\n| Request | Rendered (cache off) | Served from the cache | Ratio |\n|---|---|---|---|");
  for (const kind of ["document", "data"] as const) {
    const off = median(results[`${kind} uncached`]);
    const on = median(results[`${kind} cached`]);
    console.log(
      `| chat ${kind} (200 messages) | ${off.toFixed(2)} ms | ${on.toFixed(2)} ms | ${(on / off).toFixed(3)}× |`,
    );
  }
} finally {
  await servers.cached.stop();
  await servers.uncached.stop();
  await redis.stop();
  await database.close();
}
