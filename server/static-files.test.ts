import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createStaticFiles } from "./static-files";

// Random bytes do not compress, so a file's gzipped size is its size plus a few bytes.
const FILE_BYTES = 4096;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { maxCacheBytes: number }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-static-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const serveStatic = createStaticFiles(dir, options);
  const server = http.createServer((req, res) => {
    void serveStatic(req, res, req.url ?? "/").then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  /** Writes `name` with `body` and the given modification time (seconds), as a deploy would. */
  const write = (name: string, body: Buffer, mtime: number) => {
    const file = path.join(dir, name);
    writeFileSync(file, body);
    utimesSync(file, mtime, mtime);
  };
  /** GETs `name` with gzip accepted and answers the decompressed bytes. */
  const get = (name: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const request = http.get(
        { host: "127.0.0.1", port, path: `/${name}`, headers: { "Accept-Encoding": "gzip" } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            try {
              expect(response.headers["content-encoding"]).toBe("gzip");
              resolve(gunzipSync(Buffer.concat(chunks)));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on("error", reject);
    });
  /** GETs `name` and answers the status (404: not served as a file). */
  const status = (name: string) =>
    new Promise<number>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, path: `/${name}` }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on("error", reject);
    });
  return { write, get, status };
}

const randomBody = () => randomBytes(FILE_BYTES);

describe("static files: the gzip cache", () => {
  it("serves the new contents when a file changes", async () => {
    const { write, get } = await setUp({ maxCacheBytes: 1024 * 1024 });
    const first = randomBody();
    write("app.txt", first, 1_000);
    expect(await get("app.txt")).toEqual(first);
    const second = randomBody();
    write("app.txt", second, 2_000);
    expect(await get("app.txt")).toEqual(second);
  });

  it("counts a changed file once, so rewrites of one file do not crowd others out", async () => {
    // Room for two files' gzipped bodies, not three.
    const { write, get } = await setUp({ maxCacheBytes: Math.floor(FILE_BYTES * 2.5) });
    // One file rewritten (a theme, a config served from public/): only its last version is kept.
    for (let version = 1; version <= 3; version++) {
      write("changing.txt", randomBody(), version * 1_000);
      await get("changing.txt");
    }
    const original = randomBody();
    write("other.txt", original, 5_000);
    expect(await get("other.txt")).toEqual(original);
    // Same modification time, new bytes: only a cached copy still answers the original text.
    write("other.txt", randomBody(), 5_000);
    const served = await get("other.txt");
    expect(served.equals(original), "other.txt answered from the cache (its first contents)").toBe(true);
  });
});

describe("static files: what is looked up on disk", () => {
  it("never takes a page's path for a file, so pages cost no look-up on disk", async () => {
    const { write, status } = await setUp({ maxCacheBytes: 1024 * 1024 });
    // A file named like a page or a data request stays unserved: such paths are not looked up.
    write("chats", randomBody(), 1_000);
    write("chats.data", randomBody(), 1_000);
    write("robots.txt", randomBody(), 1_000);
    expect(await status("chats")).toBe(404);
    expect(await status("chats.data")).toBe(404);
    expect(await status("robots.txt")).toBe(200);
  });
});
