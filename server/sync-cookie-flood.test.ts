import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "#app/config.server";
import { getRuntime } from "#app/services/runtime.server";
import {
  newSessionId,
  SESSION_COOKIE_NAME,
  sessionCookie,
  verifiedCookieMemoSize,
} from "#app/services/session-cookie.server";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { createParleyServer } from "./parley-server";

/**
 * The hardening case: anyone can send sync polls with whatever Cookie header they like. A
 * flood of distinct, large, invalid cookies (and of valid guest cookies, which anyone gets by
 * visiting) must not grow the server's memory: the verified-cookie memo stays under its
 * byte bound and remembers no invalid value. Parley's own server, in this process, so the
 * memo can be read.
 */
const POLLS = 5_000;
const VALID_EVERY = 10;
const CONCURRENCY = 16;

let baseUrl: string;
let server: http.Server;
let database: { url: string; drop(): Promise<void> };
let dataDir: string;

beforeAll(async () => {
  database = await createEmptyPostgresDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-flood-"));
  // Read once, when the runtime is first asked for: set before that.
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: "",
    DATA_DIR: dataDir,
    SESSION_SECRET: "a-flood-test-secret-of-at-least-32-characters",
    LOG_LEVEL: "silent",
  });
  await getRuntime().ready;
  server = createParleyServer({
    // Every request here is a sync poll, answered before Remix: its build is never reached.
    build: {} as ServerBuild,
    publicDir: dataDir,
    mode: "production",
    production: true,
    keepAliveTimeoutMs: 10_000,
    logError: (message, fields) => console.error(message, fields),
    logInfo: () => {},
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await getRuntime().close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function poll(agent: http.Agent, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${baseUrl}/resources/sync`,
      { agent, headers: { Cookie: cookie } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error("sync poll got no answer within 10 s")));
    request.on("error", reject);
  });
}

describe("sync polls with a flood of distinct cookies", () => {
  it(
    "keep the verified-cookie memo under its byte bound, holding only the valid ones",
    { timeout: 180_000 },
    async () => {
      const cookie = sessionCookie(getConfig());
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const answers = new Map<string, number>();
      let next = 0;
      let validSent = 0;
      const worker = async () => {
        while (next < POLLS) {
          const i = next++;
          let header: string;
          if (i % VALID_EVERY === 0) {
            // A guest cookie the server signed, among ~14 KB of other cookies.
            const setCookie = await cookie.serialize({ s: newSessionId() });
            header = `_junk=${randomBytes(7_000).toString("hex")}; ${setCookie.slice(0, setCookie.indexOf(";"))}`;
            validSent++;
          } else {
            // ~14 KB of something shaped like a signed value that is not one.
            header = `${SESSION_COOKIE_NAME}=${randomBytes(10_500).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
          }
          const { status, body } = await poll(agent, header);
          const key = `${status} ${body}`;
          answers.set(key, (answers.get(key) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      agent.destroy();

      // Every poll answered by the fast path; nobody here has written anything yet.
      expect(Object.fromEntries(answers)).toEqual({ '200 {"list":0,"chat":null}': POLLS });
      const memo = verifiedCookieMemoSize(cookie);
      expect(memo.bytes).toBeLessThanOrEqual(memo.maxBytes);
      // Only the valid guest cookies, each remembered by its value alone (a few hundred bytes).
      expect(memo.entries).toBe(validSent);
      expect(memo.bytes).toBeLessThan(validSent * 1_000);
    },
  );
});
