/**
 * The practical ceiling for Parley's sync check: a bare node:http server that does the same
 * work and nothing else: verify the signed session cookie (node:crypto HMAC), one Redis
 * MGET of the same keys Parley reads (the app's own key names), a few bytes of JSON.
 * No framework, no Postgres fallback (in the bench every key is warm, so Parley never
 * falls back either; `misses` in /healthz shows whether that held).
 *
 * Env: PORT, HOST (default 127.0.0.1), REDIS_URL, SESSION_SECRET, CACHE_KEY_PREFIX (the prefix
 * of Parley's current cache generation, read by the harness from Postgres).
 */
import { createServer } from "node:http";
import { createClient } from "redis";
import { cacheKeys } from "#db/cache/keys";
import { KEY_PREFIX } from "#db/hot-store/hot-store";
import { readSignedCookie } from "#bench/lib/signed-cookie";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const secret = process.env.SESSION_SECRET ?? "";
const prefix = process.env.CACHE_KEY_PREFIX ?? KEY_PREFIX;
const redis = createClient({
  url: process.env.REDIS_URL,
  disableOfflineQueue: true,
  socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(retries * 100, 2000) },
});
redis.on("error", () => undefined);
await redis.connect();

let misses = 0;
const server = createServer((req, res) => {
  const url = req.url ?? "/";
  if (url === "/healthz") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ok: true, misses }));
    return;
  }
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  if (pathname !== "/resources/sync" || req.method !== "GET") {
    res.writeHead(404).end();
    return;
  }
  const session = readSignedCookie(req.headers.cookie, "parley_session", secret);
  const userId = typeof session?.u === "string" ? session.u : null;
  if (!userId) {
    send(res, '{"list":0,"chat":null}');
    return;
  }
  const chatId = query === -1 ? null : new URLSearchParams(url.slice(query + 1)).get("chat");
  const keys = [prefix + cacheKeys.listVersion(userId)];
  if (chatId && UUID.test(chatId)) keys.push(prefix + cacheKeys.chatVersion(userId, chatId));
  redis.mGet(keys).then(
    (values) => {
      if (values.some((value) => value === null)) misses += 1;
      send(
        res,
        `{"list":${Number(values[0] ?? 0)},"chat":${keys.length > 1 && values[1] !== null ? Number(values[1]) : null}}`,
      );
    },
    () => {
      res.writeHead(503).end();
    },
  );
});

function send(res: import("node:http").ServerResponse, body: string) {
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? "127.0.0.1");
const stop = () => server.close(() => void redis.close().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
