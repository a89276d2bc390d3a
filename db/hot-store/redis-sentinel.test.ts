import { uuidv7 } from "#db/ids";
import { generationForRedisRun } from "#db/repositories/cache-generation";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { HotStore } from "./hot-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
import { startPrivateSentinel, type PrivateSentinel } from "./testing/private-sentinel";

/**
 * Redis behind Sentinel: the store finds the master through Sentinel and follows it when it
 * fails over. The replica promoted here had been cut off before the last write, so it holds
 * an older version of the chat and its cached page: that must never be served.
 */
describe("the hot store behind Sentinel, through a failover to a replica that lagged", () => {
  let database: TestDatabase;
  let redis: PrivateSentinel;
  let store: HotStore;
  let repositories: Repositories;
  const logged: string[] = [];

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase("postgres"), startPrivateSentinel()]);
    store = createRedisHotStore({
      target: { kind: "sentinel", urls: [redis.sentinelUrl], name: redis.name },
      logger: (line) => logged.push(line),
      generation: { generationFor: (runId) => generationForRedisRun(database.db, runId) },
    });
    repositories = createRepositories({ db: database.db, store, ttlSeconds: 300 });
    await eventually(
      async () =>
        store.get("probe").then(
          () => true,
          () => false,
        ),
      {
        what: "master found and cache generation established",
        timeoutMs: 10_000,
      },
    );
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await redis?.stop();
    await database?.drop();
  });

  it("follows the new master and serves no stale read", async () => {
    const chats = repositories.chats;
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    await chats.createChat({ id: chatId, userId, title: "Before the failover", titleSource: "derived" }, [
      { id: uuidv7(), chatId: "", role: "user", content: "hello", status: "complete", clientId: uuidv7() },
    ]);
    const readPage = async () => {
      const hits = chats.stats.hits;
      const [list, window] = await Promise.all([
        chats.listChats(userId, { limit: 20 }),
        chats.chatWindow(userId, chatId, 50),
      ]);
      return { titles: [list.chats[0]?.title, window?.chat.title], hit: chats.stats.hits >= hits + 2 };
    };
    await eventually(async () => (await readPage()).hit, { what: "page cached on the master" });
    const [masterPort, replicaPort] = redis.ports;
    // The replica holds the cached page and its versions, then stops receiving writes.
    await eventually(async () => Number(await redis.command(replicaPort, ["DBSIZE"])) >= 4, {
      what: "replica holding the cached page",
    });
    await redis.isolateReplica();
    await chats.renameChat(userId, chatId, "After the failover", "user");
    await eventually(async () => (await readPage()).hit, { what: "renamed page cached on the master" });

    // Readers run all along: a lost master, Sentinel's vote, the promotion, the store moving.
    let reads = 0;
    let stale = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const { titles } = await readPage();
        reads += 1;
        if (titles.some((title) => title !== "After the failover")) stale += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = Date.now();
    await redis.killMaster();
    await eventually(async () => (await redis.masterPort()) === replicaPort, {
      what: "Sentinel promoting the replica",
      timeoutMs: 15_000,
    });
    const promotedAfterMs = Date.now() - started;
    // The store follows: the cache is used again, on the new master.
    await eventually(async () => (await readPage()).hit, {
      what: "cache hits on the new master",
      timeoutMs: 10_000,
    });
    const followedAfterMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await reader;
    console.info(
      `sentinel failover: promoted after ${promotedAfterMs} ms, cache hits again after ${followedAfterMs} ms; ` +
        `${stale} stale reads of ${reads}`,
    );
    expect(stale).toBe(0);
    expect(masterPort).not.toBe(replicaPort);
    expect(String(await redis.command(replicaPort, ["ROLE"]))).toMatch(/^master/);
    expect(logged.join("\n")).toMatch(/redis server changed; cache generation \d+/);
  });
});
