import { createDb, type DbHandle } from "#db/client";
import { createHotStore } from "#db/hot-store/create-hot-store";
import type { HotStore } from "#db/hot-store/hot-store";
import { uuidv7 } from "#db/ids";
import { cacheGenerationFrom } from "#db/repositories/cache-generation";
import { createRepositories } from "#db/repositories/create-repositories";

/**
 * Writes a message the way Parley's send action stores one (ChatRepository.appendMessages:
 * one Postgres transaction, then the new versions published to Redis), from the bench
 * process. The idle-tabs scenario uses it to make "one new message" at a known instant
 * without depending on the send route or starting an assistant reply.
 */
export interface MessageWriter {
  append(userId: string, chatId: string, content: string): Promise<void>;
  close(): Promise<void>;
}

export function createMessageWriter(databaseUrl: string, redisUrl: string): MessageWriter {
  const database: DbHandle = createDb({ databaseUrl, maxConnections: 2 });
  const store: HotStore = createHotStore({
    redisUrl,
    commandTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    logger: () => undefined,
    // The app's cache generation, or the tabs would never see the versions published here.
    ...cacheGenerationFrom(database.db),
  });
  const { chats, dispose } = createRepositories({ db: database.db, store, ttlSeconds: 300 });
  return {
    async append(userId, chatId, content) {
      const outcome = await chats.appendMessages(userId, chatId, [
        {
          id: uuidv7(),
          chatId,
          role: "user",
          content,
          status: "complete",
          clientId: `bench-tabs-${uuidv7()}`,
        },
      ]);
      if (outcome.kind !== "appended") throw new Error(`could not append the message: ${outcome.kind}`);
    },
    async close() {
      dispose();
      await Promise.allSettled([store.close(), database.close()]);
    },
  };
}
