import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perRequestValue } from "#app/lib/page-capture.server";
import { renameChat } from "#app/services/chats.server";
import { availableModels } from "#app/services/models.server";
import { pageVersions } from "#app/services/page-versions.server";
import { getRuntime, type Runtime } from "#app/services/runtime.server";
import { newSessionId, serializeSession } from "#app/services/session-cookie.server";
import { startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";
import { uuidv7 } from "#db/ids";
import { createEmptyPostgresDatabase } from "#db/testing/test-database";
import { createResponseCache, sendCachedPage } from "./response-cache";

/**
 * The response cache's look-up and keep, on real Postgres and a Redis of the test's own:
 * what is kept, what moves a page to a new key, and when nothing may be served. The render
 * is a stand-in that reads what the chat page's loaders read (the versions) and makes a
 * client id, as they do.
 */
let runtime: Runtime;
let redis: PrivateRedis;
let database: { url: string; drop(): Promise<void> };
let dataDir: string;

beforeAll(async () => {
  database = await createEmptyPostgresDatabase();
  redis = await startPrivateRedis();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-response-cache-"));
  // Read once, when the runtime is first asked for: set before that.
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    SESSION_SECRET: "a-response-cache-test-secret-of-32-characters",
    LOG_LEVEL: "silent",
  });
  runtime = getRuntime();
  await runtime.ready;
  await untilStoreAnswers();
}, 30_000);

/** The hot store answers once it knows the Redis server's cache generation. */
async function untilStoreAnswers(): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (
      await runtime.store.get("probe").then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the hot store did not answer within 10 s");
}

afterAll(async () => {
  await runtime?.close();
  await redis?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function newVisitor() {
  const userId = uuidv7();
  const sessionId = newSessionId();
  await runtime.sessions.createGuest(userId, sessionId, runtime.sessions.newExpiry());
  const chatId = uuidv7();
  await runtime.chats.createChat({ id: chatId, userId, title: "First title", titleSource: "derived" }, []);
  const cookie = (await serializeSession(runtime.config, { s: sessionId, u: userId })).split(";")[0];
  return { userId, sessionId, chatId, cookie };
}

const requestFor = (cookie: string) =>
  ({ method: "GET", headers: { cookie, "accept-encoding": "gzip" } }) as unknown as IncomingMessage;

/** Collects what a serve writes, in one or many writes, and checks it against its Content-Length. */
function fakeResponse() {
  const headers = new Map<string, unknown>();
  const sent: { statusCode: number; chunks: Buffer[]; ended: boolean } = {
    statusCode: 0,
    chunks: [],
    ended: false,
  };
  const res = {
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    set statusCode(code: number) {
      sent.statusCode = code;
    },
    cork: () => {},
    write: (chunk: Buffer) => sent.chunks.push(chunk),
    end: (chunk?: Buffer) => {
      if (chunk) sent.chunks.push(chunk);
      sent.ended = true;
    },
  } as unknown as ServerResponse;
  const text = () => {
    const body = Buffer.concat(sent.chunks);
    expect(sent.ended).toBe(true);
    expect(headers.get("content-length")).toBe(body.length);
    return gunzipSync(body).toString();
  };
  return { res, headers, text };
}

/** A look-up, and on a miss a render of the chat's title and a fresh client id, kept if it may be. */
async function visit(
  cache: ReturnType<typeof createResponseCache>,
  visitor: Awaited<ReturnType<typeof newVisitor>>,
) {
  const url = new URL(`http://parley.test/chats/${visitor.chatId}`);
  const req = requestFor(visitor.cookie);
  const found = await cache.lookUp(req, url);
  const out = fakeResponse();
  if (found && "hit" in found) {
    sendCachedPage(req, out.res, found.hit, "hit");
    return { outcome: "hit" as const, body: out.text() };
  }
  if (!found) {
    // Rendered without the cache; its reads (the session's look-up, the versions) fill the hot store.
    await runtime.sessions.userIdForSession(visitor.sessionId);
    await runtime.chats.versions(visitor.userId, visitor.chatId);
    return { outcome: "not cached" as const, body: "" };
  }
  const context: AppLoadContext = {};
  const render = cache.startRender(found.miss, context);
  const request = new Request(url);
  const versions = await pageVersions(runtime, { request, context }, visitor.userId, visitor.chatId);
  const open = await runtime.chats.chatWindow(visitor.userId, visitor.chatId, 10, versions.chat);
  const clientId = perRequestValue(context, "client-id");
  const response = new Response(
    `<h1>${open?.chat.title}</h1><input value="${clientId}"> ${render.requestId}`,
    {
      headers: { "Content-Type": "text/html" },
    },
  );
  expect(await render.sendIfKept(req, out.res, response)).toBe(true);
  return { outcome: "miss" as const, body: out.text() };
}

describe("the response cache", () => {
  it("keeps a page, serves it with fresh values, and renders it again after a write", async () => {
    await availableModels(runtime); // the model list a chat page's key holds
    const cache = createResponseCache({ maxBytes: 1024 * 1024, ttlSeconds: 60 });
    const visitor = await newVisitor();
    expect((await visit(cache, visitor)).outcome).toBe("not cached"); // nothing in the hot store yet
    const first = await visit(cache, visitor);
    const second = await visit(cache, visitor);
    expect([first.outcome, second.outcome]).toEqual(["miss", "hit"]);
    const idOf = (body: string) => /value="([0-9a-f]{32})"/.exec(body)?.[1];
    expect(idOf(second.body)).toBeDefined();
    expect(idOf(second.body)).not.toBe(idOf(first.body));
    expect(second.body.replace(/value="\w+"> \S+/, "")).toBe(first.body.replace(/value="\w+"> \S+/, ""));

    await renameChat(runtime, visitor.userId, visitor.chatId, "Second title");
    const after = await visit(cache, visitor);
    expect(after.outcome).toBe("miss");
    expect(after.body).toContain("Second title");
    expect((await visit(cache, visitor)).outcome).toBe("hit");
  });

  it("never serves a revoked session, nor another user's cookie for the page", async () => {
    const cache = createResponseCache({ maxBytes: 1024 * 1024, ttlSeconds: 60 });
    const visitor = await newVisitor();
    await visit(cache, visitor);
    await visit(cache, visitor);
    expect((await visit(cache, visitor)).outcome).toBe("hit");
    const stranger = await newVisitor();
    // The stranger's own key (their user) has nothing: a miss for their page, never the owner's copy.
    expect((await visit(cache, { ...stranger, chatId: visitor.chatId })).outcome).not.toBe("hit");

    await runtime.sessions.revoke(visitor.sessionId);
    expect((await visit(cache, visitor)).outcome).toBe("not cached");
  });

  it("serves nothing while Redis is down, and keeps pages again once it is back", async () => {
    const cache = createResponseCache({ maxBytes: 1024 * 1024, ttlSeconds: 60 });
    const visitor = await newVisitor();
    await visit(cache, visitor);
    await visit(cache, visitor);
    expect((await visit(cache, visitor)).outcome).toBe("hit");
    await redis.kill();
    expect((await visit(cache, visitor)).outcome).toBe("not cached");
    await redis.restart();
    await untilStoreAnswers();
    // Empty now: the model list comes back with the next chat page a render makes.
    await expect
      .poll(
        async () => {
          await availableModels(runtime);
          return (await visit(cache, visitor)).outcome;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe("hit");
  }, 20_000);

  it("holds no more than its byte bound", async () => {
    const cache = createResponseCache({ maxBytes: 4 * 1024, ttlSeconds: 60 });
    await availableModels(runtime);
    const visitors = await Promise.all([newVisitor(), newVisitor(), newVisitor(), newVisitor()]);
    for (const visitor of visitors) {
      await visit(cache, visitor);
      await visit(cache, visitor);
    }
    // Each entry counts about 1 kB and more: at most a few are left, the oldest gone first.
    expect((await visit(cache, visitors[0])).outcome).toBe("miss");
    expect((await visit(cache, visitors[0])).outcome).toBe("hit");
  });
});
