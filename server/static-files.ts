import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};
const COMPRESSIBLE = new Set([".js", ".css", ".map", ".json", ".svg", ".txt"]);
const MAX_GZIP_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Serves `public/`. Files under /build/ have content hashes in their names, so they are
 * cached for a year; the rest for an hour. Text assets are gzipped once and kept in memory,
 * bounded by their gzipped bytes: a changed file's new body replaces the old one (in size
 * too), and once full the least recently served file makes room. Outside /build/, only a path
 * ending in one of the types below is looked for on disk.
 */
export function createStaticFiles(publicDir: string, options: { maxCacheBytes?: number } = {}) {
  const root = path.resolve(publicDir);
  const gzipped = new LRUCache<string, { mtimeMs: number; body: Buffer }>({
    maxSize: options.maxCacheBytes ?? MAX_GZIP_CACHE_BYTES,
    // The bodies are Buffers, outside V8's heap: their length is what they cost.
    sizeCalculation: (entry) => entry.body.length,
  });

  return async function serveStatic(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    // Pages and data requests (`/chats/…`, `….data`) are never files: only a path with a
    // type served here is looked up on disk, so they cost no stat() each.
    if (!pathname.startsWith("/build/") && !Object.hasOwn(CONTENT_TYPES, path.extname(pathname)))
      return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const file = path.join(root, decoded);
    if (!file.startsWith(root + path.sep)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;

    const extension = path.extname(file);
    res.setHeader("Content-Type", CONTENT_TYPES[extension] ?? "application/octet-stream");
    res.setHeader(
      "Cache-Control",
      pathname.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
    );
    const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    if (acceptsGzip && COMPRESSIBLE.has(extension)) {
      let entry = gzipped.get(file);
      if (!entry || entry.mtimeMs !== info.mtimeMs) {
        entry = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file)) };
        gzipped.set(file, entry);
      }
      res.setHeader("Content-Encoding", "gzip");
      res.setHeader("Vary", "Accept-Encoding");
      res.setHeader("Content-Length", entry.body.length);
      res.end(req.method === "HEAD" ? undefined : entry.body);
      return true;
    }
    res.setHeader("Content-Length", info.size);
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
