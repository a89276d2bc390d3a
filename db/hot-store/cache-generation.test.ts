import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { uuidv7 } from "#db/ids";
import { cacheGenerationFrom, generationForRedisRun } from "#db/repositories/cache-generation";
import type { ChatRepository } from "#db/repositories/chat-repository";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { HotStore } from "./hot-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
import { startPrivateRedis, type PrivateRedis } from "./testing/private-redis";

/**
 * Redis can come back older than it was, with no error reaching the app: restarted from a
 * snapshot, or replaced by another server that holds older data (a restored backup, a replica
 * that lagged). Entries of the old state must never be served as current.
 */
describe("the hot cache when Redis comes back older than it was", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let store: HotStore;
  let repositories: Repositories;
  let repository: ChatRepository;
  let dir: string;
  const logged: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    dir = await mkdtemp(path.join(os.tmpdir(), "parley-redis-snapshots-"));
    redis = await startPrivateRedis({ dir });
    store = createRedisHotStore({
      url: redis.url,
      logger: (message) => logged.push(message),
      generation: { ...cacheGenerationFrom(database.db), checkEveryMs: 200 },
    });
    repositories = createRepositories({ db: database.db, store, ttlSeconds: 300 });
    repository = repositories.chats;
    await eventually(() => store.ping(), { what: "private redis ready" });
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await redis?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A chat whose page is cached, snapshotted, then changed: the snapshot holds the old state. */
  async function snapshotThenChange() {
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    await repository.createChat(
      { id: chatId, userId, title: "Before the snapshot", titleSource: "derived" },
      [message("first message")],
    );
    await eventually(async () => (await readPage(userId, chatId)).hit, {
      what: "page served from the cache",
    });
    await redis.save();
    await repository.renameChat(userId, chatId, "After the snapshot", "user");
    await repository.appendMessages(userId, chatId, [message("newest message")]);
    const fresh = await readPage(userId, chatId);
    expect(fresh).toMatchObject({ title: "After the snapshot", newest: "newest message", hit: true });
    return { userId, chatId, versions: await repository.versions(userId, chatId) };
  }

  async function readPage(userId: string, chatId: string) {
    const hits = repository.stats.hits;
    const [list, window] = await Promise.all([
      repository.listChats(userId, { limit: 20 }),
      repository.chatWindow(userId, chatId, 50),
    ]);
    return {
      titles: list.chats.map((chat) => chat.title),
      title: window?.chat.title,
      newest: window?.page.messages[0]?.content,
      hit: repository.stats.hits > hits,
    };
  }

  async function expectCurrentAfterComeback(userId: string, chatId: string, versions: object) {
    await eventually(() => store.ping(), { what: "redis back", timeoutMs: 10_000 });
    // Whatever the moment, a read shows the current state, never the snapshot's.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const page = await readPage(userId, chatId);
      expect(page).toMatchObject({ title: "After the snapshot", newest: "newest message" });
      expect(page.titles).toEqual(["After the snapshot"]);
      expect(await repository.versions(userId, chatId)).toEqual(versions);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // …and the cache is used again, in the new generation.
    await eventually(async () => (await readPage(userId, chatId)).hit, { what: "cache trusted again" });
  }

  it("never serves the entries of a snapshot that Redis reloaded after a crash", async () => {
    const { userId, chatId, versions } = await snapshotThenChange();
    await redis.restart(); // SIGKILL, then the same server loads its last snapshot
    await expectCurrentAfterComeback(userId, chatId, versions);
    expect(logged.join("\n")).toMatch(/redis server changed; cache generation \d+/);
  });

  it("never serves the older data of a different Redis server started on the same port", async () => {
    const { userId, chatId, versions } = await snapshotThenChange();
    // Another server (a restored backup, a replica that lagged) takes over the address.
    const other = await mkdtemp(path.join(os.tmpdir(), "parley-redis-other-"));
    try {
      await cp(path.join(dir, "dump.rdb"), path.join(other, "dump.rdb"));
      await redis.restart({ dir: other });
      await expectCurrentAfterComeback(userId, chatId, versions);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("follows a generation another instance moved for the same server, so its writes reach this cache", async () => {
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    await repository.createChat({ id: chatId, userId, title: "Seen by both", titleSource: "derived" }, [
      message("first message"),
    ]);
    await eventually(async () => (await readPage(userId, chatId)).hit, { what: "page cached" });
    // An instance on another Redis records its server (a quick failover and back that this
    // process never saw does the same), then a new instance on this Redis starts: it finds
    // another server recorded, so it takes a new generation for this one.
    await generationForRedisRun(database.db, "another-server");
    const newcomer = createRedisHotStore({
      url: redis.url,
      logger: () => undefined,
      generation: { ...cacheGenerationFrom(database.db), checkEveryMs: 200 },
    });
    const other = createRepositories({ db: database.db, store: newcomer, ttlSeconds: 300 });
    try {
      await eventually(() => newcomer.ping(), { what: "newcomer connected" });
      await other.chats.renameChat(userId, chatId, "Renamed by the newcomer", "user");
      // The newcomer invalidated in its generation; this process follows it within a check.
      await eventually(async () => (await readPage(userId, chatId)).title === "Renamed by the newcomer", {
        what: "the rename seen through this process's cache",
      });
      expect(logged.join("\n")).toMatch(/another instance moved the cache generation to \d+; following it/);
      await eventually(async () => (await readPage(userId, chatId)).hit, { what: "cache trusted again" });
    } finally {
      other.dispose();
      await newcomer.close();
    }
  });

  it("gives every instance that sees the same server the same generation, and a new one for a new server", async () => {
    const first = await Promise.all([
      generationForRedisRun(database.db, "run-a"),
      generationForRedisRun(database.db, "run-a"),
    ]);
    expect(first[0]).toBe(first[1]);
    const second = await generationForRedisRun(database.db, "run-b");
    expect(second).toBe(first[0] + 1);
    // Back to the first server: still a new generation, never an old one reused.
    expect(await generationForRedisRun(database.db, "run-a")).toBe(second + 1);
  });
});

function message(content: string) {
  return {
    id: uuidv7(),
    chatId: "",
    role: "user" as const,
    content,
    status: "complete" as const,
    clientId: uuidv7(),
  };
}
