import type { IncomingMessage, ServerResponse } from "node:http";
import { getMetrics } from "#app/lib/metrics/metrics.server";
import { processReadiness, READY_PATH } from "#app/services/readiness.server";
import { readyRuntime } from "#app/services/runtime.server";
import { RETRY_AFTER_SECONDS } from "#db/database-unavailable";
import { parseSyncQuery, readSyncState, SYNC_PATH } from "#app/services/sync.server";

/**
 * Requests answered before anything else, outside the Remix runtime: the sync check that
 * every visible tab sends every few seconds, and the readiness probe a proxy sends to every
 * instance. Measured on this kind of machine, going through remix-serve costs about ten times
 * the CPU of answering here (docs/decisions/0001). Neither reads a cookie into a session or
 * creates a guest. Resolves to the path answered (the metrics' route label), or false when the
 * request is not one of them.
 */
const { syncChecks } = getMetrics();

export async function answerFastPath(req: IncomingMessage, res: ServerResponse): Promise<string | false> {
  // Plain string work, no URL object: this runs for every request, thousands a second.
  const raw = req.url ?? "/";
  const queryStart = raw.indexOf("?");
  const pathname = queryStart === -1 ? raw : raw.slice(0, queryStart);
  if (pathname === READY_PATH && (req.method === "GET" || req.method === "HEAD")) {
    await answerReadiness(req, res);
    return READY_PATH;
  }
  if (pathname !== SYNC_PATH || req.method !== "GET") return false;
  const params = new URLSearchParams(queryStart === -1 ? "" : raw.slice(queryStart + 1));
  const runtime = await readyRuntime();
  const query = parseSyncQuery(params);
  const state = await readSyncState(runtime, req.headers.cookie ?? null, query);
  syncChecks.inc({ scope: query.replyId ? "reply" : query.chatId ? "chat" : "list" });
  const body = JSON.stringify(state);
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    // The only security header this JSON needs (the rest are set on every other response).
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
  return SYNC_PATH;
}

/** 200 while Postgres answers, 503 (with Retry-After) while it does not: see readiness.server.ts. */
async function answerReadiness(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ready = await processReadiness();
  const body = ready ? "ready\n" : "not ready: the database is not answering\n";
  res.writeHead(ready ? 200 : 503, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...(ready ? {} : { "Retry-After": String(RETRY_AFTER_SECONDS) }),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
