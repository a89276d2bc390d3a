import { createDb, type DbHandle } from "#db/client";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import type { HotStore } from "#db/hot-store/hot-store";
import type { ChatPlacementRepository } from "#db/repositories/chat-placement-repository";
import type { ChatRepository } from "#db/repositories/chat-repository";
import { cacheGenerationFrom } from "#db/repositories/cache-generation";
import { createRepositories } from "#db/repositories/create-repositories";
import { E2E_DATABASE_URL, E2E_REDIS_URL } from "./environment";

/**
 * The test process's own handle on the e2e database and Redis, for fixtures that seed data
 * the way the app writes it (through the same repository, so caches stay truthful).
 */
let shared:
  | {
      database: DbHandle;
      store: HotStore;
      chats: ChatRepository;
      placement: ChatPlacementRepository;
      dispose(): void;
    }
  | undefined;

export function e2eData() {
  if (!shared) {
    const database = createDb({ databaseUrl: E2E_DATABASE_URL, maxConnections: 4 });
    // Keyed by the app's cache generation, or the app would never see what fixtures publish.
    const store = createRedisHotStore({
      url: E2E_REDIS_URL,
      logger: () => {},
      generation: cacheGenerationFrom(database.db),
    });
    const { chats, placement, dispose } = createRepositories({ db: database.db, store, ttlSeconds: 300 });
    shared = { database, store, chats, placement, dispose };
  }
  return shared;
}

export async function closeE2eData(): Promise<void> {
  if (!shared) return;
  shared.dispose();
  await shared.store.close();
  await shared.database.close();
  shared = undefined;
}
