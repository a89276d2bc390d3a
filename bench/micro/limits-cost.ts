/**
 * What one limit check costs: the hot-store `attempt` alone (Redis, in process) against a
 * GET and an INCR, then the checks the actions make (a send, a first new chat, a sign-in).
 * Sequential calls on a private redis-server and a fresh Postgres database, so the figures
 * are latency and this process's CPU per call, plus Redis's own time per script.
 *
 *   node --import tsx bench/micro/limits-cost.ts [--calls=5000]
 */
import { createClient } from "redis";
import { parseConfig } from "#app/config.server";
import { admitWrite } from "#app/services/limits/quotas.server";
import { signInThrottle } from "#app/services/limits/sign-in-throttle.server";
import { uuidv7 } from "#db/ids";
import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { startPrivateRedis } from "#db/hot-store/testing/private-redis";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase } from "#db/testing/test-database";

const calls = Number(/^--calls=(\d+)$/.exec(process.argv[2] ?? "")?.[1] ?? 5000);
const rows: string[] = [];

async function measure(name: string, run: (i: number) => Promise<unknown>, note = ""): Promise<void> {
  for (let i = 0; i < 200; i += 1) await run(-1 - i); // warm up the JIT and the connections
  // The machine is shared and noisy: three rounds, the median of each figure.
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await run(round * calls + i);
    wall.push(((performance.now() - started) * 1000) / calls);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / calls);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[1].toFixed(0);
  rows.push(`| ${name} | ${median(wall)} µs | ${median(cpu)} µs | ${note} |`);
}

const redis = await startPrivateRedis();
const database = await openTestDatabase("postgres");
const stores: HotStore[] = [];
try {
  const shared = createRedisHotStore({ url: redis.url, logger: () => {} });
  stores.push(shared);
  await eventually(() => shared.ping());
  const memory = createMemoryHotStore();
  stores.push(memory);
  const rule = { windowSeconds: 3600, limit: Number.MAX_SAFE_INTEGER };

  await measure("Redis GET (one round trip, for scale)", () => shared.get("bench:get"));
  await measure("Redis INCR + EXPIRE (existing `incr`)", () => shared.incr("bench:incr", 3600));
  await measure("Redis `attempt` (Lua script)", () => shared.attempt("bench:attempt", rule));
  await measure("Redis `attempt`, a key per call", (i) => shared.attempt(`bench:many:${i}`, rule));
  await measure("In-process `attempt`", () => memory.attempt("bench:attempt", rule));

  const secret = "b".repeat(32);
  const same = parseConfig({
    SESSION_SECRET: secret,
    MESSAGES_PER_HOUR: "100000000",
    GUEST_MESSAGES_PER_HOUR: "off",
  });
  const split = parseConfig({
    SESSION_SECRET: secret,
    MESSAGES_PER_HOUR: "100000000",
    GUEST_MESSAGES_PER_HOUR: "50000000",
  });
  const guest = uuidv7();
  await createGuestUser(database.db, guest);
  const writer = { userId: guest, isNew: false };
  await measure(
    "send: message quota, one limit for all",
    () => admitWrite({ config: same, store: shared, database }, writer, { message: true }, null),
    "1 Redis round trip",
  );
  await measure(
    "send: message quota, guests lower",
    () => admitWrite({ config: split, store: shared, database }, writer, { message: true }, null),
    "1 Redis round trip; the user's kind remembered in process",
  );
  const fresh: string[] = [];
  for (let i = 0; i < 3 * calls + 200; i += 1) fresh.push(uuidv7());
  for (let i = 0; i < fresh.length; i += 500) {
    await database.db
      .insertInto("users")
      .values(fresh.slice(i, i + 500).map((id) => ({ id, is_guest: true })))
      .execute();
  }
  await measure(
    "send: message quota, guests lower, user not seen for a minute",
    (i) =>
      admitWrite(
        { config: split, store: shared, database },
        { userId: fresh[i + 200], isNew: false },
        { message: true },
        null,
      ),
    "+1 Postgres select (users.is_guest)",
  );
  await measure(
    "first new chat: guests per address, messages, chats",
    (i) =>
      admitWrite(
        { config: same, store: shared, database },
        { userId: uuidv7(), isNew: true },
        { chat: true, message: true },
        `198.18.${i & 255}.1`,
      ),
    "2 Redis round trips (look, then count)",
  );
  const throttle = signInThrottle({ config: same, store: shared });
  await measure(
    "sign-in: check + recordFailure",
    async (i) => {
      const attempt = { email: `person${i}@example.com`, ip: `198.18.${i & 255}.2` };
      await throttle.check(attempt);
      await throttle.recordFailure(attempt);
    },
    "3 Redis round trips",
  );

  const raw = createClient({ url: redis.url });
  await raw.connect();
  const stats = await raw.info("commandstats");
  raw.destroy();
  const perCall = (command: string) =>
    /usec_per_call=([\d.]+)/.exec(stats.split(`cmdstat_${command}:`)[1] ?? "")?.[1];
  console.log(`${calls} sequential calls per round, median of 3 rounds, after 200 to warm up.\n`);
  console.log("| What | Latency per call | This process's CPU per call | Note |\n|---|---|---|---|");
  console.log(rows.join("\n"));
  console.log(
    `\nRedis's own time per command: EVAL (attempt) ${perCall("eval")} µs, INCR ${perCall("incr")} µs, GET ${perCall("get")} µs.`,
  );
} finally {
  for (const store of stores) await store.close();
  await redis.kill();
  await database.drop();
}
