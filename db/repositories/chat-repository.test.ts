import { createRedisHotStore } from "#db/hot-store/redis-store";
import type { HotStore } from "#db/hot-store/hot-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";
import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, type TestDatabase } from "#db/testing/test-database";
import { openTestRepositories, userMessage, type TestRepositories } from "#db/testing/test-repositories";
import type { ChatRepository } from "./chat-repository";
import { createGuestUser } from "./users";

async function seedChat(repository: ChatRepository, database: TestDatabase, messageCount = 3) {
  const userId = (await createGuestUser(database.db, uuidv7())).id;
  const chatId = uuidv7();
  await repository.createChat(
    { id: chatId, userId, title: "Cached chat", titleSource: "derived" },
    Array.from({ length: messageCount }, (_, index) => userMessage(`message ${index}`)),
  );
  return { userId, chatId };
}

/** Reads every cached view once, returning what a page would show. */
async function readPage(repository: ChatRepository, userId: string, chatId: string) {
  const [list, chat, page] = await Promise.all([
    repository.listChats(userId, { limit: 20 }),
    repository.getChat(userId, chatId),
    repository.listMessages(userId, chatId, { limit: 50 }),
  ]);
  return {
    titles: list.chats.map((row) => row.title),
    title: chat?.title,
    contents: (page?.messages ?? []).map((row) => row.content),
  };
}

describe.each(DATABASE_KINDS)("ChatRepository cache on %s", (kind) => {
  let opened: TestRepositories;
  let database: TestDatabase;
  let repository: ChatRepository;

  beforeAll(async () => {
    opened = await openTestRepositories(kind);
    ({ database, chats: repository } = opened);
  });
  afterAll(() => opened?.close());

  it("serves a repeated read from the hot store without asking Postgres", async () => {
    const { userId, chatId } = await seedChat(repository, database, 50);
    const first = await readPage(repository, userId, chatId);
    const queriesBefore = database.stats.queries;
    const hitsBefore = repository.stats.hits;
    const second = await readPage(repository, userId, chatId);
    expect(second).toEqual(first);
    expect(second.contents).toHaveLength(50);
    expect(database.stats.queries - queriesBefore).toBe(0);
    expect(repository.stats.hits - hitsBefore).toBeGreaterThanOrEqual(3);
  });

  it("reads back from the hot store exactly the rows Postgres gave, Dates and cursors included", async () => {
    const { userId, chatId } = await seedChat(repository, database, 5);
    // A second chat, so the first page of the list (one chat) has a cursor to the next.
    await repository.createChat({ id: uuidv7(), userId, title: "Other", titleSource: "derived" }, [
      userMessage("other"),
    ]);
    const read = () =>
      Promise.all([
        repository.listChats(userId, { limit: 1 }),
        repository.chatWindow(userId, chatId, 2),
        repository.listMessages(userId, chatId, { limit: 2 }),
      ]);
    const queriesBefore = database.stats.queries;
    const fromPostgres = await read();
    expect(database.stats.queries).toBeGreaterThan(queriesBefore);
    const queriesCached = database.stats.queries;
    const fromCache = await read();
    expect(database.stats.queries - queriesCached).toBe(0);
    expect(fromCache).toEqual(fromPostgres);
    const [, window, page] = fromCache;
    expect(window?.chat.updated_at).toBeInstanceOf(Date);
    expect(window?.page.messages[0].created_at).toBeInstanceOf(Date);
    expect(page?.before?.createdAt).toBeInstanceOf(Date);
    expect(fromCache[0].next?.updatedAt).toBeInstanceOf(Date);
  });

  it("shows every committed write on the next read", async () => {
    const { userId, chatId } = await seedChat(repository, database);
    await readPage(repository, userId, chatId);

    await repository.appendMessages(userId, chatId, [userMessage("a new message")]);
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("a new message");

    await repository.renameChat(userId, chatId, "Renamed", "user");
    const renamed = await readPage(repository, userId, chatId);
    expect(renamed.title).toBe("Renamed");
    expect(renamed.titles).toContain("Renamed");

    const [latest] = (await repository.listMessages(userId, chatId, { limit: 1 }))?.messages ?? [];
    await repository.updateMessage(userId, chatId, latest.id, { content: "edited" });
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("edited");

    await repository.deleteChat(userId, chatId);
    const gone = await readPage(repository, userId, chatId);
    expect(gone.title).toBeUndefined();
    expect(gone.titles).not.toContain("Renamed");
    expect(gone.contents).toEqual([]);
  });

  it("never lets a stranger read a cached chat", async () => {
    const { chatId } = await seedChat(repository, database);
    const stranger = (await createGuestUser(database.db, uuidv7())).id;
    expect(await repository.getChat(stranger, chatId)).toBeUndefined();
    expect((await repository.listMessages(stranger, chatId, { limit: 50 }))?.messages).toEqual([]);
    expect((await repository.versions(stranger, chatId)).chat).toBeNull();
  });

  it("answers a retried send with the first copy", async () => {
    const { userId, chatId } = await seedChat(repository, database, 0);
    const first = await repository.appendMessages(userId, chatId, [userMessage("once", "retry-key-1")]);
    const again = await repository.appendMessages(userId, chatId, [userMessage("once", "retry-key-1")]);
    expect(first.kind).toBe("appended");
    expect(again.kind).toBe("duplicate");
    expect((await repository.listMessages(userId, chatId, { limit: 50 }))?.messages).toHaveLength(1);
  });
});

describe("ChatRepository with Redis unreachable", () => {
  let opened: TestRepositories;
  let database: TestDatabase;
  let repository: ChatRepository;

  beforeAll(async () => {
    // Port 1: nothing listens, so every hot-store call fails at once.
    const store = createRedisHotStore({ url: "redis://127.0.0.1:1", logger: () => {} });
    opened = await openTestRepositories("postgres", { store });
    ({ database, chats: repository } = opened);
  });
  afterAll(() => opened?.close());

  it("answers every call from Postgres and counts the fallbacks", async () => {
    const { userId, chatId } = await seedChat(repository, database);
    const errorsAfterWrites = repository.stats.errors + repository.stats.bypasses;
    expect(errorsAfterWrites).toBeGreaterThan(0);
    expect(repository.pendingVersionCount).toBeGreaterThan(0);

    const page = await readPage(repository, userId, chatId);
    expect(page).toEqual({
      titles: ["Cached chat"],
      title: "Cached chat",
      contents: ["message 2", "message 1", "message 0"],
    });
    expect(await repository.versions(userId, chatId)).toEqual({ list: 1, chat: 0 });
    const appended = await repository.appendMessages(userId, chatId, [userMessage("still works")]);
    expect(appended.kind).toBe("appended");
    expect((await repository.renameChat(userId, chatId, "Offline rename", "user"))?.title).toBe(
      "Offline rename",
    );
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("still works");
    expect(await repository.deleteChat(userId, chatId)).toBe(true);

    expect(repository.stats.hits).toBe(0);
    expect(repository.stats.errors + repository.stats.bypasses).toBeGreaterThan(errorsAfterWrites);
  });
});

describe("ChatRepository after a Redis outage", () => {
  let opened: TestRepositories;
  let database: TestDatabase;
  let redis: PrivateRedis;
  let store: HotStore;
  let repository: ChatRepository;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = createRedisHotStore({ url: redis.url, logger: () => {} });
    opened = await openTestRepositories("postgres", { store, ttlSeconds: 300 });
    ({ database, chats: repository } = opened);
    await eventually(() => store.ping(), { what: "private redis ready" });
  });
  afterAll(async () => {
    await opened?.close();
    await redis?.stop();
  });

  async function cachedPage() {
    const seeded = await seedChat(repository, database);
    await readPage(repository, seeded.userId, seeded.chatId);
    const hits = repository.stats.hits;
    await readPage(repository, seeded.userId, seeded.chatId);
    expect(repository.stats.hits).toBeGreaterThan(hits);
    return seeded;
  }

  it("serves the new data after Redis is stopped, written around, and started again (empty)", async () => {
    const { userId, chatId } = await cachedPage();
    await redis.kill();
    await repository.appendMessages(userId, chatId, [userMessage("written while down")]);
    await repository.renameChat(userId, chatId, "Renamed while down", "user");
    await redis.restart();
    await eventually(() => store.ping(), { what: "redis back" });
    const page = await readPage(repository, userId, chatId);
    expect(page.contents[0]).toBe("written while down");
    expect(page.title).toBe("Renamed while down");
  });

  it("serves the new data when Redis comes back still holding the old entries", async () => {
    const { userId, chatId } = await cachedPage();
    // SIGSTOP keeps Redis's memory: when it resumes it still holds the old versions and pages.
    redis.pause();
    await repository.appendMessages(userId, chatId, [userMessage("written while frozen")]);
    expect(repository.pendingVersionCount).toBeGreaterThan(0);
    // While versions are pending, reads go around the cache.
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("written while frozen");
    redis.resume();
    await eventually(async () => (await store.ping()) && repository.pendingVersionCount === 0, {
      what: "pending versions replayed",
      timeoutMs: 10_000,
    });
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("written while frozen");
    // …and the cache is trusted again.
    const hits = repository.stats.hits;
    await readPage(repository, userId, chatId);
    expect(repository.stats.hits).toBeGreaterThan(hits);
  });

  it("serves the new data after FLUSHALL", async () => {
    const { userId, chatId } = await cachedPage();
    const { createClient } = await import("redis");
    const admin = createClient({ url: redis.url });
    await admin.connect();
    await admin.flushAll();
    await admin.quit();
    await repository.appendMessages(userId, chatId, [userMessage("after flush")]);
    expect((await readPage(repository, userId, chatId)).contents[0]).toBe("after flush");
  });
});

describe("ChatRepository.chatWindow", () => {
  let opened: TestRepositories;
  let database: TestDatabase;
  let repository: ChatRepository;
  beforeAll(async () => {
    opened = await openTestRepositories("postgres");
    ({ database, chats: repository } = opened);
  });
  afterAll(() => opened?.close());

  it("reads a 50-message window from Postgres once, then only from the hot store", async () => {
    const { userId, chatId } = await seedChat(repository, database, 60);
    const first = await repository.chatWindow(userId, chatId, 50);
    const queries = database.stats.queries;
    const second = await repository.chatWindow(userId, chatId, 50);
    expect(database.stats.queries).toBe(queries);
    expect(second).toEqual(first);
    expect(second?.page.messages).toHaveLength(50);
    expect(second?.page.before).toBeDefined();
    const stranger = (await createGuestUser(database.db, uuidv7())).id;
    expect(await repository.chatWindow(stranger, chatId, 50)).toBeUndefined();
  });
});
