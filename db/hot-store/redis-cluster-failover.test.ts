import { execFile } from "node:child_process";
import { promisify } from "node:util";
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
import { startPrivateCluster, type PrivateCluster } from "./testing/private-cluster";

const run = promisify(execFile);

/**
 * A failover inside a Redis Cluster (three masters, one replica each): the replica of the
 * user's master is cut off before the last write, then the master is killed and the cluster
 * promotes that replica, which holds an older version of the chat and its cached page.
 */
describe("the versioned cache through a failover inside a Redis Cluster", () => {
  let database: TestDatabase;
  let cluster: PrivateCluster;
  let store: HotStore;
  let repositories: Repositories;
  const logged: string[] = [];

  beforeAll(async () => {
    [database, cluster] = await Promise.all([
      openTestDatabase("postgres"),
      startPrivateCluster({ replicas: true }),
    ]);
    ({ store, repositories } = await openFailoverStore(
      database,
      { kind: "cluster", urls: cluster.urls },
      logged,
    ));
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await cluster?.stop();
    await database?.drop();
  });

  it("follows the promoted replica and serves no stale read", async () => {
    const { userId, chatId, readPage } = await createWatchedChat(database, repositories);
    await eventually(async () => (await readPage()).hit, { what: "page cached" });
    const tagged = `x{u:${userId}}`;
    const master = await cluster.nodeOf(tagged);
    const other = master === 0 ? 1 : 0;
    // The replica has everything so far (its offset caught up), then is cut off.
    await eventually(
      async () => {
        const info = (await run("redis-cli", ["-p", String(cluster.ports[master]), "INFO", "replication"]))
          .stdout;
        const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
        return offset !== undefined && new RegExp(`slave0:.*offset=${offset},`).test(info);
      },
      { what: "replica caught up" },
    );
    await cluster.isolateReplicas(master);
    await repositories.chats.renameChat(userId, chatId, TITLE_AFTER, "user");
    await eventually(async () => (await readPage()).hit, { what: "renamed page cached on the master" });

    const reader = startStaleReader(readPage);
    const started = Date.now();
    await cluster.kill(master);
    await eventually(
      async () => {
        const now = await cluster.masterOf(tagged, other);
        return now !== -1 && now !== master;
      },
      { what: "the cluster promoting the replica", timeoutMs: 20_000, intervalMs: 100 },
    );
    const promotedAfterMs = Date.now() - started;
    await eventually(async () => (await readPage()).hit, {
      what: "cache hits on the new master",
      timeoutMs: 20_000,
    });
    const followedAfterMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { reads, stale } = await reader.stop();
    console.info(
      `cluster failover: promoted after ${promotedAfterMs} ms, cache hits again after ${followedAfterMs} ms; ` +
        `${stale} stale reads of ${reads}`,
    );
    expect(stale).toBe(0);
    expect(logged.join("\n")).toMatch(/redis server changed; cache generation \d+/);
  });
});
