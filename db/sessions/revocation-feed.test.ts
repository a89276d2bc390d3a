import { sql } from "kysely";
import { uuidv7 } from "#db/ids";
import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { sessionCacheKey, SessionRepository } from "#db/repositories/session-repository";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { RevocationFeed } from "./revocation-feed";

const POLL_MS = 50;

describe.each(DATABASE_KINDS)("ended sessions on %s", (kind) => {
  let database: TestDatabase;
  let store: HotStore;
  const feeds: RevocationFeed[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // Two instances share Postgres and the hot store, as in production.
    store =
      kind === "postgres"
        ? createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", logger: () => {} })
        : createMemoryHotStore();
  });
  afterEach(() => {
    for (const feed of feeds.splice(0)) feed.stop();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  function instance(options: { start?: boolean } = {}) {
    const feed = new RevocationFeed(database.db, { pollMs: POLL_MS, retainSeconds: 120 });
    feeds.push(feed);
    if (options.start !== false) feed.start();
    return { feed, sessions: new SessionRepository(database.db, store, feed, 60) };
  }

  async function newSession(sessions: SessionRepository) {
    const userId = uuidv7();
    const sessionId = `session-${uuidv7()}`;
    await sessions.createGuest(userId, sessionId, new Date(Date.now() + 3_600_000));
    return { userId, sessionId };
  }

  it("a session deleted by hand in SQL is refused by every instance within a poll, though its look-up is cached", async () => {
    const a = instance();
    const b = instance();
    await eventually(() => a.feed.trusted && b.feed.trusted, { what: "first feed read" });
    const { userId, sessionId } = await newSession(a.sessions);
    expect(await a.sessions.userIdForSession(sessionId)).toBe(userId);
    expect(await b.sessions.userIdForSession(sessionId)).toBe(userId);
    expect(await store.get(sessionCacheKey(sessionId))).toMatch(new RegExp(`^${userId} \\d+$`));

    await sql`delete from sessions where id = ${sessionId}`.execute(database.db);
    const deletedAt = Date.now();
    // Each instance's own feed must see the revocation: a refusal that only came from a
    // cache miss (the other instance's feed dropped the shared look-up first) would not count.
    await eventually(
      async () =>
        a.feed.isRevoked(sessionId) &&
        b.feed.isRevoked(sessionId) &&
        (await a.sessions.userIdForSession(sessionId)) === null &&
        (await b.sessions.userIdForSession(sessionId)) === null,
      { what: "both instances refuse the session", timeoutMs: 2_000, intervalMs: 10 },
    );
    expect(Date.now() - deletedAt).toBeLessThan(1_000);
    // The cached look-up is dropped too, and a look-up that only has the cached value refuses.
    await eventually(async () => (await store.get(sessionCacheKey(sessionId))) === null, {
      what: "cached look-up dropped",
    });
    expect(await a.sessions.userIdFromCachedLookUp(sessionId, userId)).toBeNull();
  });

  it("an instance that starts after a session ended still refuses its cached look-up", async () => {
    const a = instance();
    await eventually(() => a.feed.trusted, { what: "first feed read" });
    const { userId, sessionId } = await newSession(a.sessions);
    expect(await a.sessions.userIdForSession(sessionId)).toBe(userId);
    await a.sessions.revoke(sessionId);
    // Put the stale look-up back, as a cache that missed the delete would still hold it.
    await store.set(sessionCacheKey(sessionId), userId, 60);

    const late = instance({ start: false });
    expect(late.feed.trusted).toBe(false);
    // Before its first read, the late instance trusts no cached look-up: it asks Postgres.
    expect(await late.sessions.userIdFromCachedLookUp(sessionId, userId)).toBeNull();
    await late.feed.poll();
    expect(late.feed.trusted).toBe(true);
    expect(late.feed.isRevoked(sessionId)).toBe(true);
    expect(await late.sessions.userIdForSession(sessionId)).toBeNull();
  });

  it("a user's deletion ends their sessions through the cascade", async () => {
    const a = instance();
    await eventually(() => a.feed.trusted, { what: "first feed read" });
    const { userId, sessionId } = await newSession(a.sessions);
    expect(await a.sessions.userIdForSession(sessionId)).toBe(userId);
    await sql`delete from users where id = ${userId}`.execute(database.db);
    await eventually(async () => (await a.sessions.userIdForSession(sessionId)) === null, {
      what: "session refused after its user was deleted",
      timeoutMs: 2_000,
    });
  });

  it("a live session's look-up is cached no longer than the session lives", async () => {
    const a = instance();
    await eventually(() => a.feed.trusted, { what: "first feed read" });
    const userId = uuidv7();
    const sessionId = `session-${uuidv7()}`;
    await a.sessions.createGuest(userId, sessionId, new Date(Date.now() + 1_500));
    expect(await a.sessions.userIdForSession(sessionId)).toBe(userId);
    expect(await store.get(sessionCacheKey(sessionId))).toMatch(new RegExp(`^${userId} \\d+$`));
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    // The cached look-up expired with the session (a 60 s TTL would still vouch for it).
    expect(await store.get(sessionCacheKey(sessionId))).toBeNull();
    expect(await a.sessions.userIdForSession(sessionId)).toBeNull();
  });
});
