import { HotStoreError, type HotStore } from "./hot-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";
import { startPrivateTlsRedis, type PrivateTlsRedis } from "./testing/private-tls-redis";

/**
 * A Redis reached over TLS (rediss://) with an ACL user and password, its certificate signed
 * by a CA of its own (REDIS_TLS_CA_FILE): it works, and a wrong password or an unknown CA fail
 * fast and say why in the log, instead of hanging or looking like an outage of unknown cause.
 */
describe("the hot store over TLS with an ACL user", () => {
  let redis: PrivateTlsRedis;
  const stores: HotStore[] = [];
  beforeAll(async () => {
    redis = await startPrivateTlsRedis();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  function open(url: string, tlsCa: string | undefined, logged: string[] = []) {
    const store = createRedisHotStore({ url, tlsCa, logger: (line) => logged.push(line) });
    stores.push(store);
    return store;
  }

  it("reads and writes with the right user, password and CA, within the user's key pattern", async () => {
    const store = open(redis.url(), redis.caPem);
    await eventually(() => store.ping(), { what: "TLS redis answering" });
    await store.set("tls:k", "over TLS ✓", 60);
    expect(await store.get("tls:k")).toBe("over TLS ✓");
    expect(await store.incr("tls:n", 60)).toBe(1);
    expect(await store.attempt("tls:rate", { windowSeconds: 60, limit: 1 })).toMatchObject({ allowed: true });
  });

  it("refuses a wrong password clearly, and fast", async () => {
    const logged: string[] = [];
    const store = open(
      redis.url({ username: redis.username, password: "not-the-password" }),
      redis.caPem,
      logged,
    );
    await eventually(() => logged.length > 0, { what: "an outage logged" });
    expect(logged[0]).toMatch(/WRONGPASS|invalid username-password/);
    expect(await store.ping()).toBe(false);
    const started = Date.now();
    await expect(store.get("tls:k")).rejects.toBeInstanceOf(HotStoreError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refuses a server whose certificate no trusted CA signed", async () => {
    const logged: string[] = [];
    const store = open(redis.url(), undefined, logged);
    await eventually(() => logged.length > 0, { what: "an outage logged" });
    expect(logged[0]).toMatch(/certificate/i);
    expect(await store.ping()).toBe(false);
  });
});
