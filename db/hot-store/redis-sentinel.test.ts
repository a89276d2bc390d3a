import type { Repositories } from "#db/repositories/create-repositories";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { HotStore } from "./hot-store";
import { eventually } from "./testing/eventually";
import {
  createWatchedChat,
  openFailoverStore,
  startStaleReader,
  TITLE_AFTER,
} from "./testing/failover-reads";
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
    ({ store, repositories } = await openFailoverStore(
      database,
      { kind: "sentinel", urls: [redis.sentinelUrl], name: redis.name },
      logged,
    ));
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await redis?.stop();
    await database?.drop();
  });

  it("follows the new master and serves no stale read", async () => {
    const { userId, chatId, readPage } = await createWatchedChat(database, repositories);
    await eventually(async () => (await readPage()).hit, { what: "page cached on the master" });
    const [masterPort, replicaPort] = redis.ports;
    // The replica holds the cached page and its versions, then stops receiving writes.
    await eventually(async () => Number(await redis.command(replicaPort, ["DBSIZE"])) >= 4, {
      what: "replica holding the cached page",
    });
    await redis.isolateReplica();
    await repositories.chats.renameChat(userId, chatId, TITLE_AFTER, "user");
    await eventually(async () => (await readPage()).hit, { what: "renamed page cached on the master" });

    // Readers run all along: a lost master, Sentinel's vote, the promotion, the store moving.
    const reader = startStaleReader(readPage);
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
    const { reads, stale } = await reader.stop();
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
