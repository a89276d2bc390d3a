import pg from "pg";
import { runCleanup } from "#db/cleanup-job";
import { createDb } from "#db/client";
import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { createChat } from "./chats";
import { deleteAbandonedGuests } from "./cleanup";
import { createProject } from "./projects";

const HOUR_MS = 3_600_000;
const GRACE_SECONDS = 3600;
const ago = (ms: number) => new Date(Date.now() - ms);

describe.each(DATABASE_KINDS)("clean-up on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await database.db.deleteFrom("users").execute();
  });

  async function user(
    fields: {
      createdAgoMs?: number;
      updatedAgoMs?: number;
      email?: string;
      password?: string;
      guest?: boolean;
    } = {},
  ) {
    const id = uuidv7();
    const createdAgoMs = fields.createdAgoMs ?? 2 * HOUR_MS;
    await database.db
      .insertInto("users")
      .values({
        id,
        is_guest: fields.guest ?? true,
        email: fields.email ?? null,
        password_hash: fields.password ?? null,
        created_at: ago(createdAgoMs),
        updated_at: ago(fields.updatedAgoMs ?? createdAgoMs),
      })
      .execute();
    return id;
  }

  async function session(userId: string, expiresInMs: number) {
    const id = uuidv7();
    await database.db
      .insertInto("sessions")
      .values({ id, user_id: userId, expires_at: new Date(Date.now() + expiresInMs) })
      .execute();
    return id;
  }

  async function remainingUsers() {
    return (await database.db.selectFrom("users").select("id").execute()).map((row) => row.id).sort();
  }

  async function remainingSessions() {
    return (await database.db.selectFrom("sessions").select("id").execute()).map((row) => row.id).sort();
  }

  const cleanUp = (batchSize = 500) => runCleanup(database.db, { graceSeconds: GRACE_SECONDS, batchSize });

  it("deletes a guest who never wrote anything once the grace period has passed, with their live session", async () => {
    const abandoned = await user();
    await session(abandoned, HOUR_MS);
    expect(await deleteAbandonedGuests(database.db, { graceSeconds: GRACE_SECONDS, limit: 10 })).toBe(1);
    expect(await remainingUsers()).toEqual([]);
    expect(await remainingSessions()).toEqual([]);
  });

  it("keeps guests with a chat or a project, and guests created or active within the grace period", async () => {
    const withChat = await user();
    await createChat(database.db, { id: uuidv7(), userId: withChat, title: "Kept", titleSource: "derived" });
    const withProject = await user();
    await createProject(database.db, {
      id: uuidv7(),
      userId: withProject,
      name: "Kept",
      icon: "📁",
      instructions: "",
    });
    // Mid-way through a first write: the guest row exists, the chat is not committed yet.
    const justCreated = await user({ createdAgoMs: 60_000 });
    // Deleted their only chat a minute ago: the list change moved updated_at.
    const recentlyActive = await user({ updatedAgoMs: 60_000 });
    const abandoned = await user();

    const report = await cleanUp();
    expect(report.abandonedGuests).toBe(1);
    expect(await remainingUsers()).toEqual([withChat, withProject, justCreated, recentlyActive].sort());
    expect(await remainingUsers()).not.toContain(abandoned);
  });

  it("never deletes an account (an email or a password), even one with no chats", async () => {
    const accounts = [
      await user({ guest: false, email: `a-${uuidv7()}@example.com`, password: "hash" }),
      await user({ guest: true, email: `b-${uuidv7()}@example.com` }),
      await user({ guest: false, password: "hash" }),
      await user({ guest: false }),
    ];
    await cleanUp();
    expect(await remainingUsers()).toEqual(accounts.sort());
  });

  it("deletes expired sessions, and a guest whose only session expired and who wrote nothing", async () => {
    const writer = await user();
    await createChat(database.db, { id: uuidv7(), userId: writer, title: "Kept", titleSource: "derived" });
    await session(writer, -HOUR_MS);
    const writersLiveSession = await session(writer, HOUR_MS);
    const expiredGuest = await user();
    await session(expiredGuest, -1000);

    const report = await cleanUp();
    expect(report).toMatchObject({ expiredSessions: 2, abandonedGuests: 1 });
    expect(await remainingUsers()).toEqual([writer]);
    expect(await remainingSessions()).toEqual([writersLiveSession]);
  });

  it("bounds each statement by the batch size and each run by the batch count", async () => {
    for (let index = 0; index < 25; index += 1) await user({ createdAgoMs: 2 * HOUR_MS + index });
    const writer = await user();
    await createChat(database.db, { id: uuidv7(), userId: writer, title: "Kept", titleSource: "derived" });
    await database.db
      .insertInto("sessions")
      .values(Array.from({ length: 25 }, () => ({ id: uuidv7(), user_id: writer, expires_at: ago(1000) })))
      .execute();

    const capped = await runCleanup(database.db, {
      graceSeconds: GRACE_SECONDS,
      batchSize: 10,
      maxBatches: 2,
    });
    expect(capped).toEqual({ expiredSessions: 20, abandonedGuests: 20, batches: [10, 10, 10, 10] });
    expect(await remainingUsers()).toHaveLength(6);

    const rest = await cleanUp(10);
    expect(rest).toEqual({ expiredSessions: 5, abandonedGuests: 5, batches: [5, 5] });
    expect(await remainingUsers()).toEqual([writer]);
    expect(await remainingSessions()).toEqual([]);
  });

  it("lets two runs at once share the work: neither fails, no row is counted twice", async () => {
    const writers: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const writer = await user();
      await createChat(database.db, { id: uuidv7(), userId: writer, title: "Kept", titleSource: "derived" });
      writers.push(writer);
    }
    const abandoned = Array.from({ length: 300 }, () => uuidv7());
    await database.db
      .insertInto("users")
      .values(
        abandoned.map((id) => ({
          id,
          is_guest: true,
          created_at: ago(2 * HOUR_MS),
          updated_at: ago(2 * HOUR_MS),
        })),
      )
      .execute();
    // Expired sessions of the writers only: a guest's sessions leave with the guest, uncounted.
    await database.db
      .insertInto("sessions")
      .values(
        Array.from({ length: 300 }, (_, index) => ({
          id: uuidv7(),
          user_id: writers[index % writers.length],
          expires_at: ago(1000),
        })),
      )
      .execute();

    // Two instances: on Postgres, two pools, so the runs really overlap; PGlite has one connection.
    const second = database.url ? createDb({ databaseUrl: database.url, maxConnections: 2 }) : undefined;
    try {
      const options = { graceSeconds: GRACE_SECONDS, batchSize: 20 };
      const reports = await Promise.all([
        runCleanup(database.db, options),
        runCleanup(second?.db ?? database.db, options),
        runCleanup(database.db, options),
      ]);
      expect(reports.reduce((sum, report) => sum + report.abandonedGuests, 0)).toBe(300);
      expect(reports.reduce((sum, report) => sum + report.expiredSessions, 0)).toBe(300);
      expect(await remainingUsers()).toEqual(writers.sort());
      expect(await remainingSessions()).toEqual([]);
    } finally {
      await second?.close();
    }
  });

  it.runIf(kind === "postgres")(
    "neither waits for nor deletes a guest whose first chat is being written right now",
    async () => {
      const writing = await user();
      const abandoned = await user();
      const chatId = uuidv7();
      const request = new pg.Client({ connectionString: database.url });
      await request.connect();
      try {
        await request.query("begin");
        await request.query("insert into chats (id, user_id, title) values ($1, $2, 'First words')", [
          chatId,
          writing,
        ]);
        const started = performance.now();
        const report = await cleanUp();
        // Waiting for the writer's lock would take as long as its transaction: it took none.
        expect(performance.now() - started).toBeLessThan(2000);
        expect(report.abandonedGuests).toBe(1);
        await request.query("commit");
      } finally {
        await request.end();
      }
      expect(await remainingUsers()).toEqual([writing]);
      expect(
        await database.db.selectFrom("chats").select("id").where("id", "=", chatId).execute(),
      ).toHaveLength(1);
      expect(await remainingUsers()).not.toContain(abandoned);
    },
  );
});
