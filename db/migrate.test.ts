import { sql } from "kysely";
import { createDb } from "./client";
import { migrateDown, migrateToLatest } from "./migrate";
import { createEmptyPostgresDatabase } from "./testing/test-database";

describe("migrations on Postgres", () => {
  it("lets two instances migrate one empty database at once, then run down and up again", async () => {
    const empty = await createEmptyPostgresDatabase();
    const first = createDb({ databaseUrl: empty.url });
    const second = createDb({ databaseUrl: empty.url });
    try {
      const [appliedByFirst, appliedBySecond] = await Promise.all([
        migrateToLatest(first.db),
        migrateToLatest(second.db),
      ]);
      // Every migration ran exactly once, by one of the two.
      expect([...appliedByFirst, ...appliedBySecond].sort()).toEqual([
        "2026-11-26T1200_initial",
        "2026-11-26T1300_projects",
        "2026-11-26T1400_chat_client_id",
      ]);
      const tables = await sql<{
        tablename: string;
      }>`select tablename from pg_tables where schemaname = 'public'`.execute(first.db);
      expect(tables.rows.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(["users", "sessions", "chats", "messages", "projects"]),
      );

      expect(await migrateDown(first.db)).toEqual(["2026-11-26T1400_chat_client_id"]);
      expect(await migrateDown(first.db)).toEqual(["2026-11-26T1300_projects"]);
      expect(await migrateDown(first.db)).toEqual(["2026-11-26T1200_initial"]);
      expect(await migrateToLatest(first.db)).toHaveLength(3);
      expect(await migrateToLatest(second.db)).toEqual([]);
    } finally {
      await first.close();
      await second.close();
      await empty.drop();
    }
  });
});
