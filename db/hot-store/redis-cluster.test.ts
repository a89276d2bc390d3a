import { createCluster } from "redis";
import { cacheKeys } from "#db/cache/keys";
import { uuidv7 } from "#db/ids";
import type { Repositories } from "#db/repositories/create-repositories";
import { sessionCacheKey } from "#db/repositories/session-repository";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { hashSlot } from "./hash-slot";
import { HotStoreError, type HotStore } from "./hot-store";
import { describeHotStoreContract } from "./hot-store.contract";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
import { createWatchedChat, openFailoverStore } from "./testing/failover-reads";
import { startPrivateCluster, type PrivateCluster } from "./testing/private-cluster";
import { freePort } from "./testing/private-redis";

/**
 * The hot store on a real three-master Redis Cluster started for this file: the shared
 * contract, no command ever spanning slots (a cluster refuses those with CROSSSLOT), a
 * page's and the sync check's keys read in one command, and a node that comes back older
 * than it was (a snapshot reloaded after a crash) never served as current.
 */
let cluster: PrivateCluster;
beforeAll(async () => {
  cluster = await startPrivateCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

async function clusterStore(
  options: { generation?: Parameters<typeof createRedisHotStore>[0]["generation"] } = {},
) {
  const store = createRedisHotStore({
    target: { kind: "cluster", urls: cluster.urls },
    logger: () => {},
    ...options,
  });
  await eventually(() => store.ping(), { what: "cluster answering", timeoutMs: 10_000 });
  return store;
}

describeHotStoreContract("redis cluster", () => clusterStore());

describe("the hot store on a Redis Cluster", () => {
  let store: HotStore;
  beforeAll(async () => {
    store = await clusterStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it("fails fast, pings false and closes at once when no seed node answers", async () => {
    const lines: string[] = [];
    const nowhere = createRedisHotStore({
      target: { kind: "cluster", urls: [`redis://127.0.0.1:${await freePort()}`] },
      logger: (line) => lines.push(line),
    });
    await new Promise((resolve) => setTimeout(resolve, 400)); // a few discovery attempts fail
    const started = Date.now();
    await expect(nowhere.mget(["a", "b"])).rejects.toBeInstanceOf(HotStoreError);
    expect(await nowhere.ping()).toBe(false);
    expect(lines.filter((line) => line.includes("redis unavailable"))).toHaveLength(1);
    await nowhere.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("computes the same slot as the server for every key shape it uses", async () => {
    const raw = createCluster({ rootNodes: [{ url: cluster.urls[0] }] });
    await raw.connect();
    try {
      const node = await raw.nodeClient(raw.masters[0]);
      const userId = uuidv7();
      const keys = [
        "parley:v1:g3:" + cacheKeys.listVersion(userId),
        "parley:v1:g3:" + cacheKeys.newestMessages(userId, uuidv7(), 4, 50),
        "parley:v1:" + sessionCacheKey("AbCdEf0123456789_-xyzw"),
        "foo{}{bar}",
        "héllo ✓ 🚀",
      ];
      for (const key of keys)
        expect(hashSlot(key), key).toBe(await node.sendCommand(["CLUSTER", "KEYSLOT", key]));
    } finally {
      raw.destroy();
    }
  });

  it("reads and writes keys of several slots without CROSSSLOT, one command per slot", async () => {
    const keys = Array.from({ length: 12 }, (_, index) => `test:spread:${process.pid}:${index}`);
    const slots = new Set(keys.map((key) => hashSlot("parley:v1:" + key))).size;
    expect(slots).toBeGreaterThan(1);
    // What the store must avoid: a script (or MULTI) over these keys fails on a cluster.
    const raw = createCluster({ rootNodes: [{ url: cluster.urls[0] }] });
    await raw.connect();
    await expect(raw.eval("return 1", { keys: keys.map((key) => "parley:v1:" + key) })).rejects.toThrow(
      /CROSSSLOT/,
    );
    raw.destroy();

    await store.mset(
      keys.map((key, index) => [key, String(index)]),
      60,
    );
    await store.raiseVersions(
      keys.map((key, index) => [key, index + 100]),
      60,
    );
    await cluster.resetStats();
    expect(await store.mget(keys)).toEqual(keys.map((_, index) => String(index + 100)));
    expect(await cluster.commandCalls("mget")).toBe(slots);
    await store.del(keys);
    expect(await store.mget(keys)).toEqual(keys.map(() => null));
  });

  it("reads a user's versions, and a chat's entries, with one MGET on one node", async () => {
    const userId = uuidv7();
    const chatId = uuidv7();
    const versions = [cacheKeys.listVersion(userId), cacheKeys.chatVersion(userId, chatId)];
    const entries = [
      cacheKeys.chatHeader(userId, chatId, 3),
      cacheKeys.newestMessages(userId, chatId, 3, 50),
    ];
    await store.raiseVersions(
      [
        [versions[0], 7],
        [versions[1], 3],
      ],
      60,
    );
    await store.mset(
      entries.map((key) => [key, "{}"]),
      60,
    );
    await cluster.resetStats();
    expect(await store.mget(versions)).toEqual(["7", "3"]);
    expect(await store.mget(entries)).toEqual(["{}", "{}"]);
    expect(await cluster.commandCalls("mget")).toBe(2);
    expect(new Set([...versions, ...entries].map((key) => hashSlot("parley:v1:" + key))).size).toBe(1);
    await store.del([...versions, ...entries]);
  });
});

describe("the versioned cache on a Redis Cluster", () => {
  let database: TestDatabase;
  let store: HotStore;
  let repositories: Repositories;
  const logged: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    ({ store, repositories } = await openFailoverStore(
      database,
      { kind: "cluster", urls: cluster.urls },
      logged,
      { checkEveryMs: 200 },
    ));
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await database?.drop();
  });

  async function chatWithCachedPage(title: string) {
    const { userId, chatId, readPage } = await createWatchedChat(database, repositories, title);
    await eventually(async () => (await readPage()).hit, { what: "page served from the cache" });
    return { userId, chatId };
  }

  it("serves pages and the sync check from the cluster without a single store error", async () => {
    const chats = repositories.chats;
    const { userId, chatId } = await chatWithCachedPage("On the cluster");
    const errors = chats.stats.errors;
    await cluster.resetStats();
    // The sync check: the versions and the session's cached look-up in one call.
    const snapshot = await chats.syncSnapshot(userId, chatId, [sessionCacheKey("AbCdEf0123456789_-xyzw")]);
    expect(snapshot.versions.list).toBeGreaterThan(0);
    expect(snapshot.versions.chat).not.toBeNull();
    // The versions share one slot; the session look-up (named by session id) is a second
    // command, sent at the same moment.
    expect(await cluster.commandCalls("mget")).toBeLessThanOrEqual(2);
    await chats.renameChat(userId, chatId, "Renamed on the cluster", "user");
    const window = await chats.chatWindow(userId, chatId, 50);
    expect(window?.chat.title).toBe("Renamed on the cluster");
    expect(chats.stats.errors).toBe(errors);
  });

  it("never serves the entries of a snapshot that a cluster node reloaded after a crash", async () => {
    const chats = repositories.chats;
    const { userId, chatId } = await chatWithCachedPage("Before the snapshot");
    const node = await cluster.nodeOf(`x{u:${userId}}`);
    await cluster.save(node);
    await chats.renameChat(userId, chatId, "After the snapshot", "user");
    expect((await chats.chatWindow(userId, chatId, 50))?.chat.title).toBe("After the snapshot");

    await cluster.restart(node); // SIGKILL, then the node loads its last snapshot
    let reads = 0;
    let stale = 0;
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const [list, window] = await Promise.all([
        chats.listChats(userId, { limit: 20 }),
        chats.chatWindow(userId, chatId, 50),
      ]);
      reads += 1;
      if (window?.chat.title !== "After the snapshot" || list.chats[0]?.title !== "After the snapshot")
        stale += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.info(`cluster node reloaded a snapshot: ${stale} stale reads of ${reads}`);
    expect(stale).toBe(0);
    expect(logged.join("\n")).toMatch(/redis server changed; cache generation \d+/);
    // …and the cache is trusted again, in the new generation.
    await chatWithCachedPage("After the move");
  });
});
