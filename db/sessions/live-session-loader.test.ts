import { sql } from "kysely";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "#db/repositories/users";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { LiveSessionLoader } from "./live-session-loader";

describe.each(DATABASE_KINDS)("session look-ups batched on %s", (kind) => {
  let database: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    userId = uuidv7();
    await createGuestUser(database.db, userId);
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function sessions(count: number, expiresInSeconds: number): Promise<string[]> {
    const rows = Array.from({ length: count }, () => ({
      id: `batch-${uuidv7()}`,
      user_id: userId,
      expires_at: new Date(Date.now() + expiresInSeconds * 1000),
    }));
    await database.db.insertInto("sessions").values(rows).execute();
    return rows.map((row) => row.id);
  }

  it("answers every look-up of one turn, live, expired, unknown or repeated, with a few statements", async () => {
    const live = await sessions(1_150, 3_600);
    const expired = await sessions(40, -1);
    const unknown = Array.from({ length: 10 }, () => `unknown-${uuidv7()}`);
    const loader = new LiveSessionLoader(database.db);
    const before = database.stats.queries;
    const asked = [...live, ...expired, ...unknown, live[0], live[0]];
    const answers = await Promise.all(asked.map((id) => loader.load(id)));
    // 1,200 distinct ids, at most 500 per statement.
    expect(database.stats.queries - before).toBe(3);
    answers.forEach((answer, index) => {
      const id = asked[index];
      if (live.includes(id)) {
        expect(answer?.id).toBe(id);
        expect(answer?.user_id).toBe(userId);
        expect(answer?.expires_at.getTime()).toBeGreaterThan(Date.now());
      } else expect(answer).toBeUndefined();
    });
  });

  it("look-ups of later turns make batches of their own", async () => {
    const [first, second] = await sessions(2, 3_600);
    const loader = new LiveSessionLoader(database.db);
    const before = database.stats.queries;
    expect((await loader.load(first))?.id).toBe(first);
    expect((await loader.load(second))?.id).toBe(second);
    expect(database.stats.queries - before).toBe(2);
  });

  it("a failed statement fails the look-ups that waited on it, and the next batch is asked afresh", async () => {
    const [id] = await sessions(1, 3_600);
    let failNext = true;
    const flaky = database.db.withPlugin({
      transformQuery: (args) => {
        if (failNext) {
          failNext = false;
          throw new Error("the database stopped answering");
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const loader = new LiveSessionLoader(flaky);
    const failed = await Promise.allSettled([loader.load(id), loader.load(id)]);
    expect(failed.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect((await loader.load(id))?.user_id).toBe(userId);
    await sql`delete from sessions where id = ${id}`.execute(database.db);
    expect(await loader.load(id)).toBeUndefined();
  });
});
