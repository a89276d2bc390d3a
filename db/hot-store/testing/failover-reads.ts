/**
 * What the failover tests (Sentinel, Cluster) share: a Redis hot store and repositories on a
 * private Redis, a chat whose page is cached, and a reader that keeps reading that page through
 * the failover and counts the reads that show an older title than the last write.
 */
import { uuidv7 } from "#db/ids";
import { generationForRedisRun } from "#db/repositories/cache-generation";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import type { TestDatabase } from "#db/testing/test-database";
import type { HotStore } from "#db/hot-store/hot-store";
import type { RedisTarget } from "#db/hot-store/redis-backend";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "./eventually";

export const TITLE_BEFORE = "Before the failover";
export const TITLE_AFTER = "After the failover";

/**
 * A store on `target` that has established its cache generation, and repositories over it.
 * `checkEveryMs`: how often the store checks which Redis run it talks to (its default otherwise).
 */
export async function openFailoverStore(
  database: TestDatabase,
  target: RedisTarget,
  logged: string[],
  { checkEveryMs }: { checkEveryMs?: number } = {},
): Promise<{ store: HotStore; repositories: Repositories }> {
  const store = createRedisHotStore({
    target,
    logger: (line) => logged.push(line),
    generation: { generationFor: (runId) => generationForRedisRun(database.db, runId), checkEveryMs },
  });
  const repositories = createRepositories({ db: database.db, store, ttlSeconds: 300 });
  await eventually(
    async () =>
      store.get("probe").then(
        () => true,
        () => false,
      ),
    { what: "store connected and cache generation established", timeoutMs: 10_000 },
  );
  return { store, repositories };
}

/**
 * A new guest's chat titled `title`, and `readPage`, which reads its sidebar list and chat
 * window and says whether both came from the cache.
 */
export async function createWatchedChat(
  database: TestDatabase,
  repositories: Repositories,
  title = TITLE_BEFORE,
) {
  const chats = repositories.chats;
  const userId = (await createGuestUser(database.db, uuidv7())).id;
  const chatId = uuidv7();
  await chats.createChat({ id: chatId, userId, title, titleSource: "derived" }, [
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
  return { userId, chatId, readPage };
}

/**
 * Reads the page every 10 ms until `stop()`, which resolves with how many reads there were and
 * how many showed a title other than TITLE_AFTER (stale).
 */
export function startStaleReader(readPage: () => Promise<{ titles: (string | undefined)[] }>): {
  stop(): Promise<{ reads: number; stale: number }>;
} {
  let reads = 0;
  let stale = 0;
  let stopped = false;
  const reader = (async () => {
    while (!stopped) {
      const { titles } = await readPage();
      reads += 1;
      if (titles.some((title) => title !== TITLE_AFTER)) stale += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await reader;
      return { reads, stale };
    },
  };
}
