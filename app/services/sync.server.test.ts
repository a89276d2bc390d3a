import { uuidv7 } from "#db/ids";
import { generationForRedisRun } from "#db/repositories/cache-generation";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { RevocationFeed } from "#db/sessions/revocation-feed";
import type { HotStore } from "#db/hot-store/hot-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { rawCommand, startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { Runtime } from "./runtime.server";
import { serializeSession } from "./session-cookie.server";
import { readSyncState } from "./sync.server";

/**
 * The sync check against a private redis-server and real Postgres, as two instances would run
 * it: "nothing changed" is answered from memory with no Redis command at all, and no way of
 * losing the version announcements (a killed subscription, a flushed or restarted Redis) ever
 * lets that memory hide a change another instance made.
 */
const CONFIG = { SESSION_SECRET: "sync-test-secret-".repeat(3), NODE_ENV: "test", SESSION_MAX_DAYS: 365 };

interface Instance {
  store: HotStore;
  repositories: Repositories;
  revocations: RevocationFeed;
  runtime: Runtime;
}

let redis: PrivateRedis;
let database: TestDatabase;
const instances: Instance[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  database = await openTestDatabase("postgres");
});
afterEach(async () => {
  for (const instance of instances.splice(0)) {
    instance.revocations.stop();
    instance.repositories.dispose();
    await instance.store.close();
  }
});
afterAll(async () => {
  await redis?.stop();
  await database?.drop();
});

async function instance(): Promise<Instance> {
  const store = createRedisHotStore({
    url: redis.url,
    logger: () => {},
    generation: { generationFor: (runId) => generationForRedisRun(database.db, runId), checkEveryMs: 200 },
  });
  const revocations = new RevocationFeed(database.db, { pollMs: 100, retainSeconds: 120 });
  revocations.start();
  const repositories = createRepositories({ db: database.db, store, ttlSeconds: 300, revocations });
  const runtime = {
    config: CONFIG,
    chats: repositories.chats,
    sessions: repositories.sessions,
  } as unknown as Runtime;
  const created = { store, repositories, revocations, runtime };
  instances.push(created);
  await whenLive(created);
  return created;
}

function whenLive(instance: Instance, other?: string | null): Promise<void> {
  return eventually(
    () => {
      const epoch = instance.store.versionFeed?.epoch() ?? null;
      return epoch !== null && epoch !== other && instance.revocations.trusted;
    },
    { what: "version feed live", timeoutMs: 10_000 },
  );
}

/** A guest with a chat, and the Cookie header of their session. */
async function visitor(on: Instance) {
  const userId = uuidv7();
  const sessionId = `session-${uuidv7()}`;
  const chatId = uuidv7();
  await on.repositories.sessions.createGuest(userId, sessionId, on.repositories.sessions.newExpiry());
  await on.repositories.chats.createChat({ id: chatId, userId, title: "First", titleSource: "derived" }, []);
  const cookie = (await serializeSession(CONFIG, { s: sessionId, u: userId })).split(";")[0];
  return { userId, sessionId, chatId, cookie };
}

const sync = (on: Instance, cookie: string, chatId: string) =>
  readSyncState(on.runtime, cookie, { chatId, replyId: null, offset: 0 });

/** Calls of the commands a sync check sends, from the server's own count. */
async function readCommandsSent(): Promise<number> {
  const stats = await rawCommand(redis.port, "INFO commandstats");
  let total = 0;
  for (const match of stats.matchAll(/^cmdstat_(mget|get|evalsha|eval|set|multi|exec):calls=(\d+)/gm)) {
    total += Number(match[2]);
  }
  return total;
}

it("answers a sync check with nothing changed without sending Redis a command", async () => {
  const a = await instance();
  const { cookie, chatId } = await visitor(a);
  const before = await readCommandsSent();
  const first = await sync(a, cookie, chatId);
  expect(await readCommandsSent()).toBeGreaterThan(before); // the first one reads the store

  const settled = await readCommandsSent();
  for (let poll = 0; poll < 50; poll += 1) expect(await sync(a, cookie, chatId)).toEqual(first);
  expect(await readCommandsSent()).toBe(settled);
});

it("sees another instance's write at once, through the announcement", async () => {
  const [a, b] = [await instance(), await instance()];
  const { userId, cookie, chatId } = await visitor(a);
  const first = await sync(a, cookie, chatId);
  await sync(a, cookie, chatId);
  await b.repositories.chats.renameChat(userId, chatId, "Renamed on b", "user");
  await eventually(async () => (await sync(a, cookie, chatId)).chat! > first.chat!, {
    what: "the rename seen on a",
    timeoutMs: 2000,
  });
  expect((await sync(a, cookie, chatId)).list).toBeGreaterThan(first.list);
});

it("never hides a change made while its subscription was down, nor after it resubscribed", async () => {
  const [a, b] = [await instance(), await instance()];
  const { userId, cookie, chatId } = await visitor(a);
  const first = await sync(a, cookie, chatId);
  const epochBefore = a.store.versionFeed?.epoch() ?? null;
  expect(await sync(a, cookie, chatId)).toEqual(first);

  // Kills every subscriber connection (b's too): the rename's announcement reaches nobody.
  expect(await rawCommand(redis.port, "CLIENT KILL TYPE pubsub")).toMatch(/^:[1-9]/);
  await b.repositories.chats.renameChat(userId, chatId, "Renamed while deaf", "user");
  const changed = await sync(a, cookie, chatId);
  expect(changed.chat).toBeGreaterThan(first.chat!);

  // And once the subscription is back, the memory kept from before is gone, not believed.
  await b.repositories.chats.renameChat(userId, chatId, "Renamed again while deaf", "user");
  await whenLive(a, epochBefore);
  const after = await sync(a, cookie, chatId);
  expect(after.chat).toBeGreaterThan(changed.chat!);
  expect(await sync(a, cookie, chatId)).toEqual(after);
});

it("never hides a change across a flush or a restart of Redis (a new cache generation)", async () => {
  const [a, b] = [await instance(), await instance()];
  const { userId, cookie, chatId } = await visitor(a);
  let last = await sync(a, cookie, chatId);

  await rawCommand(redis.port, "FLUSHALL");
  await b.repositories.chats.renameChat(userId, chatId, "After the flush", "user");
  await eventually(async () => (await sync(a, cookie, chatId)).chat! > last.chat!, { what: "after flush" });
  last = await sync(a, cookie, chatId);

  const epochBefore = a.store.versionFeed?.epoch() ?? null;
  await redis.restart();
  await whenLive(b);
  await b.repositories.chats.renameChat(userId, chatId, "After the restart", "user");
  await whenLive(a, epochBefore);
  expect(a.store.versionFeed?.epoch()).not.toContain(epochBefore!.split(":").slice(1).join(":"));
  expect((await sync(a, cookie, chatId)).chat).toBeGreaterThan(last.chat!);
});

it("refuses a session revoked on another instance as strictly as before", async () => {
  const [a, b] = [await instance(), await instance()];
  const { sessionId, cookie, chatId } = await visitor(a);
  expect((await sync(a, cookie, chatId)).list).toBeGreaterThan(0);
  expect((await sync(a, cookie, chatId)).list).toBeGreaterThan(0); // answered from memory
  await b.repositories.sessions.revoke(sessionId);
  await eventually(async () => (await sync(a, cookie, chatId)).list === 0, {
    what: "revocation seen on a",
    timeoutMs: 1000,
  });
  expect(await sync(a, cookie, chatId)).toEqual({ list: 0, chat: null });
});

it("answers from memory on an instance that found the session's look-up cached by another", async () => {
  const [a, b] = [await instance(), await instance()];
  const { cookie, chatId } = await visitor(a);
  const first = await sync(a, cookie, chatId); // a asks Postgres and caches the look-up
  await sync(b, cookie, chatId); // b finds it cached
  const settled = await readCommandsSent();
  for (let poll = 0; poll < 20; poll += 1) expect(await sync(b, cookie, chatId)).toEqual(first);
  expect(await readCommandsSent()).toBe(settled);
});

it("stops answering for a session from memory when the session expires", async () => {
  const a = await instance();
  const userId = uuidv7();
  const sessionId = `session-${uuidv7()}`;
  await a.repositories.sessions.createGuest(userId, sessionId, new Date(Date.now() + 2_500));
  await a.repositories.chats.createChat(
    { id: uuidv7(), userId, title: "Soon gone", titleSource: "derived" },
    [],
  );
  const cookie = (await serializeSession(CONFIG, { s: sessionId, u: userId })).split(";")[0];
  const check = () => readSyncState(a.runtime, cookie, { chatId: null, replyId: null, offset: 0 });
  expect((await check()).list).toBeGreaterThan(0);
  expect((await check()).list).toBeGreaterThan(0); // from memory
  expect(a.repositories.sessions.knownUserId(sessionId)).toBe(userId);
  await new Promise((resolve) => setTimeout(resolve, 2_600));
  expect(a.repositories.sessions.knownUserId(sessionId)).toBeUndefined();
  expect(await check()).toEqual({ list: 0, chat: null });
});
