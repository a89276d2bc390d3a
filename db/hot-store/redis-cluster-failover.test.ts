import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { uuidv7 } from "#db/ids";
import { generationForRedisRun } from "#db/repositories/cache-generation";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { HotStore } from "./hot-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
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
    store = createRedisHotStore({
      target: { kind: "cluster", urls: cluster.urls },
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
        what: "cache generation established",
        timeoutMs: 10_000,
      },
    );
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await cluster?.stop();
    await database?.drop();
  });

  it("follows the promoted replica and serves no stale read", async () => {
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
    await chats.renameChat(userId, chatId, "After the failover", "user");
    await eventually(async () => (await readPage()).hit, { what: "renamed page cached on the master" });

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
    stop = true;
    await reader;
    console.info(
      `cluster failover: promoted after ${promotedAfterMs} ms, cache hits again after ${followedAfterMs} ms; ` +
        `${stale} stale reads of ${reads}`,
    );
    expect(stale).toBe(0);
    expect(logged.join("\n")).toMatch(/redis server changed; cache generation \d+/);
  });
});
