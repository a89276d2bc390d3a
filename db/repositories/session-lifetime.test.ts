import { sql } from "kysely";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { sessionCacheKey, SessionRepository } from "./session-repository";
import { touchSessions } from "./sessions";

const DAY = 86_400;

describe.each(DATABASE_KINDS)("session lifetime on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** An instance of its own (its own memory of what it touched), idle 2 days, at most 10. */
  const instance = () =>
    new SessionRepository(database.db, createMemoryHotStore(), undefined, 60, {
      idleSeconds: 2 * DAY,
      maxSeconds: 10 * DAY,
    });

  async function session(repository: SessionRepository, ageSeconds = 0) {
    const userId = uuidv7();
    const id = `session-${uuidv7()}`;
    await repository.createGuest(
      userId,
      id,
      repository.newExpiry(),
      "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
    );
    await sql`update sessions set created_at = now() - make_interval(secs => ${ageSeconds}),
      last_seen_at = now() - interval '5 minutes' where id = ${id}`.execute(database.db);
    return { userId, id };
  }

  const row = (id: string) =>
    database.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("a used session's idle expiry moves forward, never past its absolute end", async () => {
    const repository = instance();
    const fresh = await session(repository);
    const old = await session(repository, 9 * DAY);
    expect(await repository.userIdForSession(fresh.id)).toBe(fresh.userId);
    expect(await repository.userIdForSession(old.id)).toBe(old.userId);
    await eventually(async () => Date.now() - (await row(fresh.id)).last_seen_at.getTime() < 10_000, {
      what: "last seen written",
    });
    await eventually(async () => Date.now() - (await row(old.id)).last_seen_at.getTime() < 10_000, {
      what: "last seen written",
    });
    const day = 86_400_000;
    const freshRow = await row(fresh.id);
    expect(freshRow.expires_at.getTime() - Date.now()).toBeGreaterThan(2 * day - 60_000);
    expect(freshRow.expires_at.getTime() - Date.now()).toBeLessThan(2 * day + 60_000);
    // Nine days old: one day of its ten is left, less than the idle period.
    const oldRow = await row(old.id);
    expect(oldRow.expires_at.getTime() - oldRow.created_at.getTime()).toBeGreaterThan(10 * day - 60_000);
    expect(oldRow.expires_at.getTime() - oldRow.created_at.getTime()).toBeLessThan(10 * day + 60_000);
  });

  it("writes last-seen at most once a minute, whatever the number of instances asking", async () => {
    const first = instance();
    const { id } = await session(first);
    await first.userIdForSession(id);
    await eventually(async () => Date.now() - (await row(id)).last_seen_at.getTime() < 10_000, {
      what: "first touch",
    });
    const seen = (await row(id)).last_seen_at.getTime();
    // The same instance again, and a second instance: both within the minute.
    const second = instance();
    await first.userIdForSession(id);
    await second.userIdForSession(id);
    await Promise.all([first.flushTouches(), second.flushTouches()]);
    expect((await row(id)).last_seen_at.getTime()).toBe(seen);
    // A minute later (here: its last-seen moved back), another instance writes again.
    await sql`update sessions set last_seen_at = now() - interval '61 seconds' where id = ${id}`.execute(
      database.db,
    );
    await instance().userIdForSession(id);
    await eventually(async () => Date.now() - (await row(id)).last_seen_at.getTime() < 10_000, {
      what: "second touch",
    });
  });

  it("a sync check answered from a cached look-up still counts as a use", async () => {
    const store = createMemoryHotStore();
    const lifetime = { idleSeconds: 2 * DAY, maxSeconds: 10 * DAY };
    const first = new SessionRepository(database.db, store, undefined, 60, lifetime);
    const { id, userId } = await session(first);
    expect(await first.userIdForSession(id)).toBe(userId);
    await first.flushTouches();
    await sql`update sessions set last_seen_at = now() - interval '5 minutes' where id = ${id}`.execute(
      database.db,
    );
    // Another instance reads the cached copy in the sync check's round trip; no Postgres read.
    const second = new SessionRepository(database.db, store, undefined, 60, lifetime);
    const cached = await store.get(sessionCacheKey(id));
    expect(cached).not.toBeNull();
    expect(await second.userIdFromCachedLookUp(id, cached)).toBe(userId);
    await second.flushTouches();
    expect(Date.now() - (await row(id)).last_seen_at.getTime()).toBeLessThan(10_000);
  });

  it("an expired session is refused and never revived by a touch", async () => {
    const repository = instance();
    const { id } = await session(repository);
    await sql`update sessions set expires_at = now() - interval '1 second' where id = ${id}`.execute(
      database.db,
    );
    expect(await repository.userIdForSession(id)).toBeNull();
    // A touch that lands just after the expiry (its look-up raced the clock) leaves it expired.
    await touchSessions(database.db, [id], repository.lifetime);
    expect((await row(id)).expires_at.getTime()).toBeLessThan(Date.now());
  });

  it("one write moves every session named that is live and was not seen in the last minute", async () => {
    const repository = instance();
    const idle = await session(repository);
    const other = await session(repository);
    const expired = await session(repository);
    const recent = await session(repository);
    await sql`update sessions set expires_at = now() - interval '1 second' where id = ${expired.id}`.execute(
      database.db,
    );
    await sql`update sessions set last_seen_at = now() - interval '10 seconds' where id = ${recent.id}`.execute(
      database.db,
    );
    const recentSeen = (await row(recent.id)).last_seen_at.getTime();
    await touchSessions(database.db, [idle.id, other.id, expired.id, recent.id], repository.lifetime);
    for (const id of [idle.id, other.id])
      expect(Date.now() - (await row(id)).last_seen_at.getTime()).toBeLessThan(10_000);
    expect((await row(expired.id)).expires_at.getTime()).toBeLessThan(Date.now());
    expect((await row(recent.id)).last_seen_at.getTime()).toBe(recentSeen);
  });

  it("ends only the sessions of the user named, whatever ids are given", async () => {
    const repository = instance();
    const mine = await session(repository);
    const second = `session-${uuidv7()}`;
    await sql`insert into sessions (id, user_id, expires_at) values (${second}, ${mine.userId}, now() + interval '1 day')`.execute(
      database.db,
    );
    const stranger = await session(repository);
    expect((await repository.listLive(mine.userId)).map((entry) => entry.id).sort()).toEqual(
      [mine.id, second].sort(),
    );
    expect(await repository.endSessionsOfUser(mine.userId, { ids: [stranger.id] })).toEqual([]);
    expect(await repository.userIdForSession(stranger.id)).toBe(stranger.userId);
    expect(await repository.endSessionsOfUser(mine.userId, { except: mine.id })).toEqual([second]);
    expect((await repository.listLive(mine.userId)).map((entry) => entry.id)).toEqual([mine.id]);
  });
});
