import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { AppLoadContext } from "@remix-run/node";
import {
  freshValue,
  perRequestValue,
  type PageCapture,
  type PerRequestKind,
} from "#app/lib/page-capture.server";
import { responseCacheStats } from "#app/lib/response-cache-stats.server";
import { cachedModelList } from "#app/services/models.server";
import { seedPageVersions } from "#app/services/page-versions.server";
import { readyRuntime } from "#app/services/runtime.server";
import { versionsFromMemory } from "#app/services/sync.server";
import { readSessionCookie, sessionCookie } from "#app/services/session-cookie.server";
import type { Versions } from "#db/repositories/chats";
import { sessionCacheKey } from "#db/repositories/session-repository";
import { cachedPageChat } from "./cached-paths";
import { fillHeader, headerTemplate, type HeaderTemplate } from "./header-template";
import { assembleGzip, spliceBody, type SplicedBody } from "./spliced-gzip";

/** A rendered page kept for its user: 200, no cookie set, per-request values cut out. */
interface CachedPage {
  headers: HeaderTemplate[];
  kinds: PerRequestKind[];
  body: SplicedBody;
}

/** A look-up that missed: what the render needs to be kept under the right key. */
export interface PageMiss {
  userId: string;
  chatId: string | undefined;
  versions: Versions;
  /** The key's parts other than the versions. */
  base: string;
}

export interface ResponseCacheOptions {
  maxBytes: number;
  ttlSeconds: number;
  /** gzip level of a kept body: compressed once, served many times. */
  level?: number;
}

/** Headers that belong to one transfer, not to the page: set per serve, or never kept. */
const NOT_KEPT = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "vary",
  "date",
  "connection",
]);
/** What an entry costs beyond its compressed bytes (headers, arrays, the key). */
const ENTRY_OVERHEAD_BYTES = 1024;

/**
 * The response cache (decision 0024): a chat page or the chat list, as a document or a data
 * request, kept gzipped in this process per (user, URL, list version, chat version, model list,
 * day) and served after one hot-store round trip that reads the versions and checks the
 * session, the one the sync check makes. Versions only grow and live in Postgres, so a write
 * anywhere (any instance) moves every page it changes to a key no entry has.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  const pages = new LRUCache<string, CachedPage>({
    maxSize: options.maxBytes,
    sizeCalculation: (page, key) => page.body.bytes + key.length + ENTRY_OVERHEAD_BYTES,
    ttl: options.ttlSeconds * 1000,
  });
  const level = options.level ?? 6;
  const stats = responseCacheStats();

  /** A hit, a miss to render and maybe keep, or null: not a cached page, or the cache cannot be trusted now. */
  async function lookUp(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ hit: CachedPage; userId: string } | { miss: PageMiss } | null> {
    if (req.method !== "GET") return null;
    const chatId = cachedPageChat(url.pathname);
    if (chatId === false) return null;
    const runtime = await readyRuntime();
    const session = await readSessionCookie(sessionCookie(runtime.config), req.headers.cookie ?? null);
    // No session yet (a first visit gets its cookie from the render): never cached.
    if (!session?.u) return null;
    try {
      // One round trip: the versions, the session's cached look-up, and (on a chat page, which
      // shows it) the model list, pipelined alongside. From the hot store alone: anything it
      // cannot answer (down, a key missing, publications pending) the render reads, and a
      // Postgres that does not answer is waited on once, by the render, not twice.
      // What this instance's memory vouches for (as the sync check does) needs no versions read.
      const known = versionsFromMemory(runtime, session.s, session.u, chatId);
      if (known === "refused") return null;
      const [snapshot, models] = await Promise.all([
        known
          ? { versions: known, extras: [] }
          : runtime.chats.cachedSyncSnapshot(session.u, chatId, [sessionCacheKey(session.s)]),
        chatId ? cachedModelList(runtime) : "",
      ]);
      if (!snapshot || models === null) return null;
      const userId = known ? session.u : runtime.sessions.cachedUserId(session.s, snapshot.extras[0] ?? null);
      if (userId !== session.u) return null;
      const base = [userId, url.href, localDay(), models].join("\n");
      const hit = pages.get(keyOf(base, snapshot.versions));
      if (hit) {
        stats.hits += 1;
        return { hit, userId };
      }
      stats.misses += 1;
      return { miss: { userId, chatId, versions: snapshot.versions, base } };
    } catch {
      // The store failed: the render answers.
      return null;
    }
  }

  /**
   * A miss about to be rendered: puts the capture and the versions already read in the load
   * context, and makes the request id the render shows (one of the values later serves
   * replace). `sendIfKept` keeps and sends the rendered response when it may be kept.
   */
  function startRender(miss: PageMiss, context: AppLoadContext) {
    const capture: PageCapture = { values: [], read: null, refused: false };
    context.pageCapture = capture;
    seedPageVersions(context, miss.userId, miss.chatId, miss.versions);
    return {
      requestId: perRequestValue(context, "request-id"),
      async sendIfKept(req: IncomingMessage, res: ServerResponse, response: Response): Promise<boolean> {
        const page = await keep(miss, capture, response);
        if (!page) return false;
        sendCachedPage(
          req,
          res,
          page,
          "miss",
          capture.values.map((entry) => entry.value),
        );
        return true;
      },
    };
  }

  /**
   * Keeps a rendered response when nothing in it is the visitor's own beyond what the key
   * covers: a 200 without Set-Cookie, whose loaders read the versions and refused nothing.
   */
  async function keep(miss: PageMiss, capture: PageCapture, response: Response): Promise<CachedPage | null> {
    if (response.status !== 200 || response.headers.has("Set-Cookie") || !response.body) return null;
    if (capture.refused || !capture.read || capture.read.userId !== miss.userId) return null;
    const originals = capture.values.map((entry) => entry.value);
    const headers: HeaderTemplate[] = [];
    for (const [name, value] of response.headers) {
      if (!NOT_KEPT.has(name)) headers.push(headerTemplate(name, value, originals));
    }
    const body = spliceBody(Buffer.from(await response.arrayBuffer()), originals, level);
    const page: CachedPage = { headers, kinds: capture.values.map((entry) => entry.kind), body };
    pages.set(keyOf(miss.base, capture.read.versions), page);
    stats.bytes = pages.calculatedSize;
    return page;
  }

  return { lookUp, startRender };
}

/**
 * Sends a kept page with `values` in its holes: the render's own on the response that made it,
 * fresh ones on every later serve. Returns the request id it was served under.
 */
export function sendCachedPage(
  req: IncomingMessage,
  res: ServerResponse,
  page: CachedPage,
  label: "hit" | "miss",
  values: readonly string[] = page.kinds.map(freshValue),
): string | undefined {
  for (const header of page.headers) res.setHeader(header.name, fillHeader(header, values));
  const chunks = assembleGzip(page.body, values);
  const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  res.statusCode = 200;
  res.setHeader("Vary", "Accept-Encoding");
  res.setHeader("X-Parley-Cache", label);
  if (gzip) {
    res.setHeader("Content-Encoding", "gzip");
    res.setHeader(
      "Content-Length",
      chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    );
    // The kept pieces go out as they are, in one writev: no copy of the page per serve. A
    // copy per hit was about 25 kB outside V8's heap; at thousands of hits a second, malloc's
    // heap grew by 130 MB and never shrank (0029).
    res.cork();
    for (const chunk of chunks) res.write(chunk);
    res.end();
  } else {
    // A client without gzip (rare) costs one inflate: cheaper than keeping a second copy.
    const body = gunzipSync(Buffer.concat(chunks));
    res.setHeader("Content-Length", body.length);
    res.end(body);
  }
  const requestIdAt = page.kinds.indexOf("request-id");
  return requestIdAt === -1 ? undefined : values[requestIdAt];
}

const keyOf = (base: string, versions: Versions) => `${base}\n${versions.list}\n${versions.chat ?? "-"}`;

/** The sidebar groups chats by day in the server's local time ("Today", "Yesterday"): a new day, a new page. */
function localDay(): number {
  const now = new Date();
  return now.getFullYear() * 10_000 + now.getMonth() * 100 + now.getDate();
}
