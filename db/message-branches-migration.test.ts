import { Migrator, sql, type Kysely } from "kysely";
import type { Database } from "#db/schema";
import { createDb, type DbHandle } from "#db/client";
import { uuidv7 } from "#db/ids";
import { migrateToLatest } from "#db/migrate";
import { staticMigrationProvider } from "#db/migrations";
import { createRepositories } from "#db/repositories/create-repositories";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { DATABASE_KINDS, createEmptyPostgresDatabase } from "#db/testing/test-database";
import { pendingReply, userMessage } from "#db/testing/test-repositories";

const BEFORE = "2026-12-02T1000_accounts";
const BRANCHES = "2026-12-03T1400_message_branches";

async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: staticMigrationProvider }).migrateTo(name);
  if (error) throw error;
}

async function openEmpty(
  kind: (typeof DATABASE_KINDS)[number],
): Promise<DbHandle & { drop(): Promise<void> }> {
  if (kind === "pglite") {
    const handle = createDb({ dataDir: "memory://" });
    return { ...handle, drop: handle.close };
  }
  const empty = await createEmptyPostgresDatabase();
  const handle = createDb({ databaseUrl: empty.url });
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      await empty.drop();
    },
  };
}

const columns = async (db: Kysely<Database>, table: string) =>
  (
    await sql<{
      column_name: string;
    }>`select column_name from information_schema.columns where table_name = ${table}`.execute(db)
  ).rows.map((row) => row.column_name);

describe.each(DATABASE_KINDS)("the message-branches migration on %s", (kind) => {
  it("turns linear chats into single branches, and down keeps each chat's visible branch", async () => {
    const handle = await openEmpty(kind);
    // Rows of the schema before the migration are written in SQL: the app's types are newer.
    const db = handle.db;
    try {
      await migrateTo(db, BEFORE);
      // Two linear chats as the app stored them before: order by (created_at, id), ties included.
      const userId = uuidv7();
      await sql`insert into users (id) values (${userId})`.execute(db);
      const chats = [uuidv7(), uuidv7()];
      const ids: string[][] = [[], []];
      for (const [index, chatId] of chats.entries()) {
        await sql`insert into chats (id, user_id, title) values (${chatId}, ${userId}, ${`c${index}`})`.execute(
          db,
        );
        for (let n = 0; n < 4; n += 1) {
          const id = uuidv7();
          ids[index].push(id);
          // Two messages per timestamp, as a send stores a question and its reply together.
          const at = new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(n / 2)));
          await sql`
            insert into messages (id, chat_id, role, content, status, created_at, updated_at)
            values (${id}, ${chatId}, ${n % 2 ? "assistant" : "user"}, ${`c${index} m${n}`}, 'complete', ${at}, ${at})`.execute(
            db,
          );
        }
      }
      const emptyChat = uuidv7();
      await sql`insert into chats (id, user_id, title) values (${emptyChat}, ${userId}, 'empty')`.execute(db);

      await migrateTo(db, BRANCHES);
      for (const [index, chatId] of chats.entries()) {
        const rows = await db
          .selectFrom("messages")
          .select(["id", "parent_id"])
          .where("chat_id", "=", chatId)
          .orderBy("created_at")
          .orderBy("id")
          .execute();
        expect(rows.map((row) => row.parent_id)).toEqual([null, ...ids[index].slice(0, 3)]);
        const chat = await db
          .selectFrom("chats")
          .select("active_leaf_id")
          .where("id", "=", chatId)
          .executeTakeFirst();
        expect(chat?.active_leaf_id).toBe(ids[index][3]);
      }
      const none = await db
        .selectFrom("chats")
        .select("active_leaf_id")
        .where("id", "=", emptyChat)
        .executeTakeFirst();
      expect(none?.active_leaf_id).toBeNull();

      // Branch the first chat through the app (a new version of its second question), then go down.
      await migrateToLatest(db);
      const repositories = createRepositories({
        db: handle.db,
        store: createMemoryHotStore(),
        ttlSeconds: 60,
      });
      try {
        const reply = { ...pendingReply(), status: "complete" as const, content: "new answer" };
        const edited = await repositories.chats.editMessage(
          userId,
          chats[0],
          ids[0][2],
          { content: "c0 m2, edited", clientId: null },
          reply,
        );
        expect(edited.kind).toBe("branched");
        await repositories.chats.appendMessages(userId, chats[1], [userMessage("c1 m4")]);
      } finally {
        repositories.dispose();
      }
      await migrateTo(db, BEFORE);
      expect(await columns(db, "messages")).not.toContain("parent_id");
      expect(await columns(db, "messages")).not.toContain("chosen_at");
      expect(await columns(db, "chats")).not.toContain("active_leaf_id");
      const left = async (chatId: string) =>
        (
          await db
            .selectFrom("messages")
            .select("content")
            .where("chat_id", "=", chatId)
            .orderBy("created_at")
            .orderBy("id")
            .execute()
        ).map((row) => row.content);
      // The visible branch only: what the person last saw, as an edit used to leave it.
      expect(await left(chats[0])).toEqual(["c0 m0", "c0 m1", "c0 m2, edited", "new answer"]);
      expect(await left(chats[1])).toEqual(["c1 m0", "c1 m1", "c1 m2", "c1 m3", "c1 m4"]);

      // And up again.
      await migrateToLatest(db);
      const tree = await sql<{
        parent_id: string | null;
      }>`select parent_id from messages where chat_id = ${chats[0]} order by created_at, id`.execute(db);
      expect(tree.rows.filter((row) => row.parent_id === null)).toHaveLength(1);
      expect(tree.rows).toHaveLength(4);
    } finally {
      await handle.drop();
    }
  }, 120_000);
});
