import { sql } from "kysely";
import pg from "pg";
import { createDb, type DbHandle } from "#db/client";
import { MAYBE_SAVED_MESSAGE, NOT_SAVED_MESSAGE } from "#db/database-unavailable";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "#db/repositories/users";
import { startFreezableProxy, type FreezableProxy } from "#db/testing/freezable-proxy";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";

/**
 * Postgres that stops answering (the network black-holed: sockets open, nothing comes back)
 * must cost a request a few seconds and a recognisable error, never a hang, and the pool must
 * work again by itself once Postgres answers. Postgres's own timeouts cannot see a frozen
 * network; the client-side query timeout does. Small limits keep the test quick.
 */
const LIMITS = { connectMs: 800, queryMs: 1500, statementMs: 1000, lockMs: 500, idleInTransactionMs: 1500 };
/** The slowest a failure may take: a pool slot, a connection attempt, then one query. */
const WORST_CASE_MS = 2 * LIMITS.connectMs + LIMITS.queryMs + 1000;
/** Without limits the test would wait forever; it stops waiting here and fails instead. */
const GIVE_UP_MS = 10_000;

type Outcome = { ms: number } & (
  { state: "resolved" } | { state: "rejected"; error: unknown } | { state: "hung" }
);

/** What a promise did within GIVE_UP_MS, and when. */
async function settle(promise: Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), GIVE_UP_MS);
  });
  const outcome = await Promise.race([
    promise.then(
      () => ({ state: "resolved" as const }),
      (error: unknown) => ({ state: "rejected" as const, error }),
    ),
    hung.then(() => ({ state: "hung" as const })),
  ]);
  clearTimeout(timer);
  return { ...outcome, ms: Math.round(performance.now() - started) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a Postgres that stops answering", () => {
  let database: TestDatabase;
  let proxy: FreezableProxy;
  let handle: DbHandle;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    const target = new URL(database.url as string);
    proxy = await startFreezableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    handle = createDb({
      databaseUrl: proxy.through(database.url as string),
      maxConnections: 3,
      timeouts: LIMITS,
    });
  });
  afterEach(() => proxy.thaw());
  afterAll(async () => {
    await handle?.close();
    await proxy?.close();
    await database?.drop();
  });

  const writeGuest = (id: string) => handle.db.transaction().execute((trx) => createGuestUser(trx, id));
  const savedIds = async (ids: string[]) =>
    (await database.db.selectFrom("users").select("id").where("id", "in", ids).execute()).map(
      (row) => row.id,
    );

  it("fails writes and reads within the limits, saves nothing, and the same pool works once Postgres answers again", async () => {
    await sql`select 1`.execute(handle.db); // a warm pool, as in a running app
    proxy.freeze();
    // Twice the pool's size: the requests beyond it wait for a slot, which must be bounded too.
    const ids = Array.from({ length: 6 }, () => uuidv7());
    const outcomes = await Promise.all(
      ids.map((id, index) =>
        settle(
          index % 2 === 0
            ? writeGuest(id)
            : handle.db.selectFrom("users").select("id").where("id", "=", id).execute(),
        ),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome.state).toBe("rejected");
      if (outcome.state !== "rejected") continue;
      expect(outcome.error).toMatchObject({
        name: "DatabaseUnavailableError",
        mayHaveCommitted: false,
        data: NOT_SAVED_MESSAGE,
      });
      expect(outcome.ms).toBeLessThan(WORST_CASE_MS);
    }

    proxy.thaw();
    await sleep(300); // whatever the network held has landed by now
    expect(await savedIds(ids)).toEqual([]);

    const id = uuidv7();
    const recovered = await settle(writeGuest(id));
    expect(recovered).toMatchObject({ state: "resolved" });
    expect(recovered.ms).toBeLessThan(LIMITS.connectMs);
    expect(await savedIds([id])).toEqual([id]);
  });

  it("reports a commit whose answer was lost as possibly saved, because it was", async () => {
    await sql`select 1`.execute(handle.db);
    proxy.freezeAnswersAfter("commit");
    const id = uuidv7();
    const outcome = await settle(writeGuest(id));
    expect(outcome).toMatchObject({
      state: "rejected",
      error: { name: "DatabaseUnavailableError", mayHaveCommitted: true, data: MAYBE_SAVED_MESSAGE },
    });
    proxy.thaw();
    expect(await savedIds([id])).toEqual([id]);
  });

  it("reports a lone write (no transaction) whose answer was lost as possibly saved", async () => {
    await sql`select 1`.execute(handle.db);
    proxy.freezeAnswersAfter("insert into");
    const id = uuidv7();
    const outcome = await settle(createGuestUser(handle.db, id));
    expect(outcome).toMatchObject({
      state: "rejected",
      error: { name: "DatabaseUnavailableError", mayHaveCommitted: true, data: MAYBE_SAVED_MESSAGE },
    });
    proxy.thaw();
    expect(await savedIds([id])).toEqual([id]);
  });

  it("has Postgres cancel a statement that runs too long, and keeps the connection usable", async () => {
    const outcome = await settle(sql`select pg_sleep(5)`.execute(handle.db));
    expect(outcome).toMatchObject({
      state: "rejected",
      error: { name: "DatabaseUnavailableError", mayHaveCommitted: false },
    });
    expect(outcome.ms).toBeGreaterThanOrEqual(LIMITS.statementMs - 50);
    expect(outcome.ms).toBeLessThan(LIMITS.queryMs);
    expect(await settle(sql`select 1`.execute(handle.db))).toMatchObject({ state: "resolved" });
  });

  it("stops waiting for a row lock held by someone else", async () => {
    const id = uuidv7();
    await createGuestUser(database.db, id);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from users where id = $1 for update", [id]);
      const outcome = await settle(
        handle.db.updateTable("users").set({ display_name: "waiting" }).where("id", "=", id).execute(),
      );
      expect(outcome).toMatchObject({ state: "rejected", error: { name: "DatabaseUnavailableError" } });
      expect(outcome.ms).toBeLessThan(LIMITS.statementMs);
    } finally {
      await holder.query("rollback");
      await holder.end();
    }
  });

  it("has Postgres end a transaction left idle, releasing its locks, without crashing the process", async () => {
    const id = uuidv7();
    await createGuestUser(database.db, id);
    const trx = await handle.db.startTransaction().execute();
    await trx.updateTable("users").set({ display_name: "abandoned" }).where("id", "=", id).execute();
    await sleep(LIMITS.idleInTransactionMs + 500);

    // The row is free again: Postgres ended the idle transaction and rolled it back.
    const other = await settle(
      database.db.updateTable("users").set({ display_name: "next" }).where("id", "=", id).execute(),
    );
    expect(other).toMatchObject({ state: "resolved" });
    expect(other.ms).toBeLessThan(1000);
    await expect(trx.commit().execute()).rejects.toMatchObject({ name: "DatabaseUnavailableError" });
    await trx.rollback().execute(); // hands the connection back, as a caller's catch does
    expect(await settle(sql`select 1`.execute(handle.db))).toMatchObject({ state: "resolved" });
  });
});

describe("the same limits on embedded Postgres (PGlite)", () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = createDb({ dataDir: "memory://", timeouts: LIMITS });
    await sql`select 1`.execute(handle.db); // PGlite takes seconds to start
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("are accepted and change nothing: there is no network to lose", async () => {
    const answer = await handle.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(trx);
      return rows[0].answer;
    });
    expect(answer).toBe(42);
    expect(handle.migrationDb()).toBe(handle.db);
  });
});
