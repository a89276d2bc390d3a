import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import type { DatabaseKind } from "#db/client";
import { uuidv7 } from "#db/ids";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import type { NewMessage } from "#db/repositories/messages";
import { openTestDatabase, type TestDatabase } from "./test-database";

export interface TestRepositories extends Repositories {
  database: TestDatabase;
  store: HotStore;
  /** Disposes the repositories, closes the store and drops the database. */
  close(): Promise<void>;
}

/**
 * The repositories over a fresh test database, built as the app builds them. Without a
 * `store` of the test's own, the pairing the app runs with: the shared Redis beside real
 * Postgres, the in-process store beside PGlite (the embedded mode).
 */
export async function openTestRepositories(
  kind: DatabaseKind,
  options: { store?: HotStore; ttlSeconds?: number } = {},
): Promise<TestRepositories> {
  const database = await openTestDatabase(kind);
  const store =
    options.store ??
    (kind === "postgres"
      ? createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" })
      : createMemoryHotStore());
  if (!options.store) await eventually(() => store.ping(), { what: "hot store ready" });
  const repositories = createRepositories({ db: database.db, store, ttlSeconds: options.ttlSeconds ?? 60 });
  return {
    ...repositories,
    database,
    store,
    async close() {
      repositories.dispose();
      await store.close();
      await database.drop();
    },
  };
}

export const userMessage = (content: string, clientId = uuidv7()): NewMessage => ({
  id: uuidv7(),
  chatId: "",
  role: "user",
  content,
  status: "complete",
  clientId,
});

export const pendingReply = (): NewMessage => ({
  ...userMessage(""),
  role: "assistant",
  status: "pending",
  clientId: null,
});
