import { createDb } from "#db/client";
import { TEST_DATABASE_URL } from "#db/testing/test-database";
import { createReadiness, databaseReady } from "./readiness.server";

describe("readiness", () => {
  it("asks once for every probe within the cache time, then again", async () => {
    let clock = 0;
    let checks = 0;
    let answer = true;
    const isReady = createReadiness({
      check: async () => {
        checks += 1;
        return answer;
      },
      cacheMs: 1000,
      now: () => clock,
    });
    expect(await Promise.all(Array.from({ length: 50 }, () => isReady()))).toEqual(Array(50).fill(true));
    expect(checks).toBe(1);
    answer = false;
    clock = 999;
    expect(await isReady()).toBe(true);
    clock = 1000;
    expect(await isReady()).toBe(false);
    expect(checks).toBe(2);
  });

  it("is ready while Postgres answers, and not, within the time limit, when nothing listens", async () => {
    const up = createDb({ databaseUrl: TEST_DATABASE_URL });
    const down = createDb({
      databaseUrl: "postgres://postgres@127.0.0.1:1/none",
      timeouts: {
        connectMs: 5000,
        queryMs: 5000,
        statementMs: 1000,
        lockMs: 1000,
        idleInTransactionMs: 1000,
      },
      warn: () => {},
    });
    try {
      expect(await databaseReady(1000, async () => up.db)()).toBe(true);
      expect(await databaseReady(1000, async () => down.db)()).toBe(false);
      // Migrations that never finish: not ready, within the limit.
      const started = performance.now();
      expect(await databaseReady(300, () => new Promise(() => {}))()).toBe(false);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await Promise.all([up.close(), down.close()]);
    }
  });
});
