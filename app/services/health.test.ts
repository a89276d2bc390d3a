import { createDb } from "#db/client";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { TEST_DATABASE_URL } from "#db/testing/test-database";
import { checkHealth } from "./health.server";

const stats = { hits: 0, misses: 0, errors: 0, bypasses: 0 };

describe("checkHealth", () => {
  it("is 200 with the cache ok when Postgres and Redis answer", async () => {
    const database = createDb({ databaseUrl: TEST_DATABASE_URL });
    const store = createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
    try {
      await eventually(() => store.ping(), { what: "redis" });
      const health = await checkHealth({
        db: database.db,
        store,
        ready: Promise.resolve(),
        stats,
        pendingVersions: 0,
      });
      expect(health).toMatchObject({ status: 200, body: { db: "ok", cache: "ok" } });
    } finally {
      await store.close();
      await database.close();
    }
  });

  it("stays 200, with the cache down, when Redis does not answer", async () => {
    const database = createDb({ databaseUrl: TEST_DATABASE_URL });
    const store = createRedisHotStore({ url: "redis://127.0.0.1:1", logger: () => {} });
    try {
      const health = await checkHealth({
        db: database.db,
        store,
        ready: Promise.resolve(),
        stats,
        pendingVersions: 2,
      });
      expect(health).toMatchObject({
        status: 200,
        body: { db: "ok", cache: "down", cacheStats: { pendingVersions: 2 } },
      });
    } finally {
      await store.close();
      await database.close();
    }
  });

  it("is 503 when Postgres does not answer", async () => {
    const database = createDb({ databaseUrl: "postgres://postgres@127.0.0.1:1/none" });
    try {
      const health = await checkHealth({
        db: database.db,
        store: createMemoryHotStore(),
        ready: Promise.resolve(),
        stats,
        pendingVersions: 0,
      });
      expect(health).toMatchObject({ status: 503, body: { db: "down", cache: "embedded" } });
    } finally {
      await database.close();
    }
  });
});
