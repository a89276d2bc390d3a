import { sql } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import { uuidv7 } from "#db/ids";
import { migrateDown, migrateToLatest } from "#db/migrate";
import { DATABASE_KINDS, type TestDatabase } from "#db/testing/test-database";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { PINNED_CHATS_MAX } from "./chat-placement";
import type { ChatPlacementRepository } from "./chat-placement-repository";
import type { ChatRepository } from "./chat-repository";
import type { ChatCursor } from "./chats";
import { createGuestUser } from "./users";

describe.each(DATABASE_KINDS)("pinned and archived chats on %s", (kind) => {
  let opened: TestRepositories;
  let database: TestDatabase;
  let chats: ChatRepository;
  let placement: ChatPlacementRepository;

  beforeAll(async () => {
    opened = await openTestRepositories(kind);
    ({ database, chats, placement } = opened);
  });
  afterAll(() => opened?.close());

  async function newUser() {
    return (await createGuestUser(database.db, uuidv7())).id;
  }

  /** `count` chats, oldest activity first, one minute apart (ids and times in the same order). */
  async function seedChats(userId: string, count: number, messagesEach = 0): Promise<string[]> {
    const start = Date.now() - count * 60_000;
    const rows = Array.from({ length: count }, (_, index) => ({
      id: uuidv7(),
      user_id: userId,
      title: `Chat ${index}`,
      title_source: "derived" as const,
      updated_at: new Date(start + index * 60_000),
    }));
    for (let at = 0; at < rows.length; at += 500)
      await database.db
        .insertInto("chats")
        .values(rows.slice(at, at + 500))
        .execute();
    if (messagesEach > 0) {
      // One branch per chat: each message's parent is the one before it (ids grow with time).
      const messages = rows.flatMap((chat) => {
        const ids = Array.from({ length: messagesEach }, () => uuidv7());
        return ids.map((id, index) => ({
          id,
          chat_id: chat.id,
          parent_id: index === 0 ? null : ids[index - 1],
          role: "user" as const,
          content: `Message ${index}`,
          status: "complete" as const,
        }));
      });
      for (let at = 0; at < messages.length; at += 1000)
        await database.db
          .insertInto("messages")
          .values(messages.slice(at, at + 1000))
          .execute();
    }
    return rows.map((row) => row.id);
  }

  async function allListedIds(userId: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let after: ChatCursor | undefined;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await chats.listChats(userId, { limit, after });
      seen.push(...page.chats.map((chat) => chat.id));
      if (!page.next) break;
      after = page.next;
    }
    return seen;
  }

  const pinnedIds = async (userId: string) => (await placement.listPinned(userId)).map((chat) => chat.id);
  const archivedIds = async (userId: string) =>
    (await placement.listArchived(userId, { limit: 100 })).chats.map((chat) => chat.id);

  it("keeps pinned chats out of the paged list, most recently pinned first, and pages the rest without repeats", async () => {
    const userId = await newUser();
    const ids = await seedChats(userId, 23);
    const newestFirst = [...ids].reverse();
    // One on the first page, one on a page boundary, one on the last page.
    for (const id of [newestFirst[1], newestFirst[5], newestFirst[21]])
      expect((await placement.pin(userId, id, true)).kind).toBe("changed");

    expect(await pinnedIds(userId)).toEqual([newestFirst[21], newestFirst[5], newestFirst[1]]);
    const listed = await allListedIds(userId, 5);
    expect(listed).toEqual(
      newestFirst.filter((id) => ![newestFirst[1], newestFirst[5], newestFirst[21]].includes(id)),
    );

    // Pinning a pinned chat keeps its place; unpinning puts it back by its activity.
    await placement.pin(userId, newestFirst[5], true);
    expect((await pinnedIds(userId))[1]).toBe(newestFirst[5]);
    await placement.pin(userId, newestFirst[5], false);
    expect(await pinnedIds(userId)).toEqual([newestFirst[21], newestFirst[1]]);
    expect((await allListedIds(userId, 5)).indexOf(newestFirst[5])).toBe(4);
  });

  it("moves archived chats out of the sidebar into the archive, newest archived first, and restores them", async () => {
    const userId = await newUser();
    const [first, second, third] = await seedChats(userId, 3);
    await placement.pin(userId, second, true);
    expect(await placement.archive(userId, first, true)).toMatchObject({ id: first });
    const archivedPinned = await placement.archive(userId, second, true);
    // Archiving unpins: a chat is in one place only.
    expect(archivedPinned?.pinned_at).toBeNull();
    expect(await archivedIds(userId)).toEqual([second, first]);
    expect(await pinnedIds(userId)).toEqual([]);
    expect(await allListedIds(userId, 10)).toEqual([third]);
    // An archived chat is still the user's to open.
    expect((await chats.getChat(userId, first))?.archived_at).toBeInstanceOf(Date);

    await placement.archive(userId, first, false);
    expect(await allListedIds(userId, 10)).toEqual([third, first]);
    // Pinning an archived chat brings it back, pinned.
    expect((await placement.pin(userId, second, true)).kind).toBe("changed");
    expect(await archivedIds(userId)).toEqual([]);
    expect(await pinnedIds(userId)).toEqual([second]);
  });

  it("pages the archive by keyset", async () => {
    const userId = await newUser();
    const ids = await seedChats(userId, 7);
    for (const id of ids) await placement.archive(userId, id, true);
    const seen: string[] = [];
    let page = await placement.listArchived(userId, { limit: 3 });
    seen.push(...page.chats.map((chat) => chat.id));
    while (page.next) {
      page = await placement.listArchived(userId, { limit: 3, after: page.next });
      seen.push(...page.chats.map((chat) => chat.id));
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it("bumps the list and chat versions, so cached pages, pinned groups and headers are read afresh", async () => {
    const userId = await newUser();
    const [chatId, otherId] = await seedChats(userId, 2);
    // Fill the cache under the current versions and check it serves them.
    const read = () =>
      Promise.all([
        chats.listChats(userId, { limit: 30 }),
        placement.listPinned(userId),
        chats.getChat(userId, chatId),
      ]);
    await read();
    const hits = chats.stats.hits;
    await read();
    expect(chats.stats.hits).toBeGreaterThan(hits);

    const before = await chats.versions(userId, chatId);
    await placement.pin(userId, chatId, true);
    const pinned = await chats.versions(userId, chatId);
    expect(pinned.list).toBeGreaterThan(before.list);
    expect(pinned.chat).toBeGreaterThan(before.chat ?? 0);
    const [page, pins, header] = await read();
    expect(page.chats.map((chat) => chat.id)).toEqual([otherId]);
    expect(pins.map((chat) => chat.id)).toEqual([chatId]);
    expect(header?.pinned_at).toBeInstanceOf(Date);

    await placement.archive(userId, chatId, true);
    const archived = await chats.versions(userId, chatId);
    expect(archived.list).toBeGreaterThan(pinned.list);
    expect(archived.chat).toBeGreaterThan(pinned.chat ?? 0);
    const [, pinsAfter, headerAfter] = await read();
    expect(pinsAfter).toEqual([]);
    expect(headerAfter?.archived_at).toBeInstanceOf(Date);
    // The hot store holds the versions Postgres has.
    if (kind === "postgres") {
      const [list] = await opened.store.mget([cacheKeys.listVersion(userId)]);
      expect(Number(list)).toBe(archived.list);
    }
  });

  it("refuses another user's chat for every move and changes nothing", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const [chatId] = await seedChats(owner, 1);
    const before = await database.db
      .selectFrom("chats")
      .selectAll()
      .where("id", "=", chatId)
      .executeTakeFirst();
    const ownerList = (await chats.versions(owner)).list;
    const strangerList = (await chats.versions(stranger)).list;
    expect(await placement.pin(stranger, chatId, true)).toEqual({ kind: "not-found" });
    expect(await placement.pin(stranger, chatId, false)).toEqual({ kind: "not-found" });
    expect(await placement.archive(stranger, chatId, true)).toBeUndefined();
    expect(await placement.archive(stranger, chatId, false)).toBeUndefined();
    expect(await placement.pin(owner, uuidv7(), true)).toEqual({ kind: "not-found" });
    const after = await database.db
      .selectFrom("chats")
      .selectAll()
      .where("id", "=", chatId)
      .executeTakeFirst();
    expect(after).toEqual(before);
    expect((await chats.versions(owner)).list).toBe(ownerList);
    expect((await chats.versions(stranger)).list).toBe(strangerList);
    expect(await placement.listPinned(stranger)).toEqual([]);
    expect((await placement.listArchived(stranger, { limit: 10 })).chats).toEqual([]);
  });

  it(`pins at most ${PINNED_CHATS_MAX} chats, even when asked at once`, async () => {
    const userId = await newUser();
    const ids = await seedChats(userId, PINNED_CHATS_MAX + 4);
    for (const id of ids.slice(0, PINNED_CHATS_MAX - 2)) await placement.pin(userId, id, true);
    const outcomes = await Promise.all(
      ids.slice(PINNED_CHATS_MAX - 2).map((id) => placement.pin(userId, id, true)),
    );
    expect(outcomes.filter((outcome) => outcome.kind === "changed")).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome.kind === "full")).toHaveLength(4);
    expect(await pinnedIds(userId)).toHaveLength(PINNED_CHATS_MAX);
    // A pinned chat can still be "pinned" again when full.
    expect((await placement.pin(userId, ids[0], true)).kind).toBe("changed");
  });

  it("archives all of one user's chats in batches, pinned ones too, and leaves other users' alone", async () => {
    const userId = await newUser();
    const other = await newUser();
    const ids = await seedChats(userId, 1_203);
    const othersIds = await seedChats(other, 3);
    await placement.pin(userId, ids[0], true);
    await placement.archive(userId, ids[1], true);
    await placement.pin(other, othersIds[0], true);
    const cachedHeader = await chats.getChat(userId, ids[2]);
    expect(cachedHeader?.archived_at).toBeNull();
    const listBefore = (await chats.versions(userId)).list;

    expect(await placement.archiveAll(userId)).toBe(1_202);
    expect(await allListedIds(userId, 30)).toEqual([]);
    expect(await pinnedIds(userId)).toEqual([]);
    const { count } = await database.db
      .selectFrom("chats")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("user_id", "=", userId)
      .where("archived_at", "is not", null)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1_203);
    // Three batches, each its own list version; every chat's version moved (its header shows it).
    expect((await chats.versions(userId)).list).toBe(listBefore + 3);
    expect((await chats.getChat(userId, ids[2]))?.archived_at).toBeInstanceOf(Date);
    expect(await allListedIds(other, 30)).toEqual([othersIds[2], othersIds[1]]);
    expect(await pinnedIds(other)).toEqual([othersIds[0]]);
    expect(await placement.archiveAll(userId)).toBe(0);
  });

  it("deletes all of one user's chats and messages in batches, archived ones too, and names the replies in flight", async () => {
    const userId = await newUser();
    const other = await newUser();
    const ids = await seedChats(userId, 1_001, 3);
    const othersIds = await seedChats(other, 2, 2);
    await placement.archive(userId, ids[0], true);
    await placement.pin(userId, ids[1], true);
    const reply = pendingReply();
    expect((await chats.appendMessages(userId, ids[2], [userMessage("Still asking"), reply])).kind).toBe(
      "appended",
    );
    const cached = await chats.chatWindow(userId, ids[3], 50);
    expect(cached?.page.messages).toHaveLength(3);

    const result = await placement.deleteAll(userId);
    expect(result).toEqual({ count: 1_001, pendingReplyIds: [reply.id] });
    expect(await chats.getChat(userId, ids[3])).toBeUndefined();
    expect(await chats.chatWindow(userId, ids[3], 50)).toBeUndefined();
    expect(await allListedIds(userId, 30)).toEqual([]);
    expect(await archivedIds(userId)).toEqual([]);
    expect(await pinnedIds(userId)).toEqual([]);
    const left = await database.db
      .selectFrom("messages")
      .innerJoin("chats", "chats.id", "messages.chat_id")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("chats.user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(Number(left.count)).toBe(0);
    expect(await allListedIds(other, 30)).toEqual([othersIds[1], othersIds[0]]);
    expect((await chats.visibleBranchMessages(other, othersIds[0])).length).toBe(2);
    expect(await placement.deleteAll(userId)).toEqual({ count: 0, pendingReplyIds: [] });
  });

  it("refuses a row both pinned and archived, whoever writes it", async () => {
    const userId = await newUser();
    const [chatId] = await seedChats(userId, 1);
    await expect(
      sql`update chats set pinned_at = now(), archived_at = now() where id = ${chatId}`.execute(database.db),
    ).rejects.toThrow(/chats_pinned_or_archived/);
  });

  // Last: it takes this file's database down one migration and up again.
  it("runs the migration down and up again, pinned and archived rows and all", async () => {
    // Down through every later migration, then this one.
    const undone: string[] = [];
    while (!undone.includes("2026-12-03T1100_chat_pin_archive")) {
      const step = await migrateDown(database.db);
      expect(step).toHaveLength(1);
      undone.push(...step);
    }
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'chats'`.execute(database.db);
    expect(columns.rows.map((row) => row.column_name)).not.toContain("pinned_at");
    expect(await migrateToLatest(database.db)).toEqual(undone.reverse());
  });
});
