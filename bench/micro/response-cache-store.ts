/**
 * Where a kept page's bytes should live (decision 0024): CPU to fetch a 25 kB gzipped page
 * from Redis (one GET, as a Buffer, on top of the version read every hit makes anyway) against
 * an in-process LRU look-up, for this process and for redis-server. Uses a private Redis.
 *
 *   npx tsx bench/micro/response-cache-store.ts [--gets=5000]
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import { createClient, RESP_TYPES } from "redis";
import { startRedis } from "#bench/lib/redis-instance";

const GETS = Number(process.argv.find((arg) => arg.startsWith("--gets="))?.slice(7) ?? 5000);
const logDir = mkdtempSync(path.join(tmpdir(), "parley-response-cache-store-"));
const redis = await startRedis(logDir, path.resolve(import.meta.dirname, "../.."));
// Compressible text like a page, gzipped to about 25 kB.
const page = gzipSync(
  Buffer.from(
    Array.from({ length: 1_000 }, () => `<p>${randomBytes(24).toString("base64")} the chat</p>`).join(""),
  ),
);
const client = createClient({ url: redis.url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
client.on("error", () => undefined);
await client.connect();
const keys = Array.from({ length: 100 }, (_, index) => `page:${index}`);
for (const key of keys) await client.set(key, page);
const lru = new LRUCache<string, Buffer>({
  maxSize: 64 * 1024 * 1024,
  sizeCalculation: (value) => value.length,
});
for (const key of keys) lru.set(key, page);

async function measure(name: string, get: (key: string) => Promise<unknown> | unknown) {
  const ownBefore = process.cpuUsage();
  const redisBefore = redis.cpuSeconds();
  // Ten at a time, like concurrent requests.
  for (let index = 0; index < GETS; index += 10) {
    await Promise.all(keys.slice(index % 100, (index % 100) + 10).map((key) => get(key)));
  }
  const own = process.cpuUsage(ownBefore);
  const ownUs = (own.user + own.system) / GETS;
  const redisUs = ((redis.cpuSeconds() - redisBefore) * 1e6) / GETS;
  console.log(`| ${name} | ${ownUs.toFixed(1)} µs | ${redisUs.toFixed(1)} µs |`);
}

try {
  console.log(
    `page: ${page.length} bytes gzipped, ${GETS} look-ups\n\n| Where | CPU here per look-up | Redis CPU per look-up |\n|---|---|---|`,
  );
  for (let round = 0; round < 2; round += 1) {
    await measure("Redis GET (Buffer)", (key) => client.get(key));
    await measure("in-process LRU", (key) => lru.get(key));
  }
} finally {
  await client.quit();
  await redis.stop();
}
