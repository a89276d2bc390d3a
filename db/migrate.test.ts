import { sql } from "kysely";
import { createDb } from "./client";
import { migrateDown, migrateToLatest } from "./migrate";
import { staticMigrationProvider } from "./migrations";
import { createEmptyPostgresDatabase } from "./testing/test-database";

describe("migrations on Postgres", () => {
  it("lets two instances migrate one empty database at once, then run down and up again", async () => {
    const names = Object.keys(await staticMigrationProvider.getMigrations()).sort();
    expect(names.length).toBeGreaterThanOrEqual(4);
    const empty = await createEmptyPostgresDatabase();
    const first = createDb({ databaseUrl: empty.url });
    const second = createDb({ databaseUrl: empty.url });
    try {
      const [appliedByFirst, appliedBySecond] = await Promise.all([
        migrateToLatest(first.db),
        migrateToLatest(second.db),
      ]);
      // Every migration ran exactly once, by one of the two.
      expect([...appliedByFirst, ...appliedBySecond].sort()).toEqual(names);
      const tables = await sql<{
        tablename: string;
      }>`select tablename from pg_tables where schemaname = 'public'`.execute(first.db);
      expect(tables.rows.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(["users", "sessions", "session_revocations", "chats", "messages", "projects"]),
      );

      // Every migration's down runs, newest first, back to an empty schema.
      for (const name of [...names].reverse()) expect(await migrateDown(first.db)).toEqual([name]);
      expect(await migrateToLatest(first.db)).toEqual(names);
      expect(await migrateToLatest(second.db)).toEqual([]);
    } finally {
      await first.close();
      await second.close();
      await empty.drop();
    }
  });
});
