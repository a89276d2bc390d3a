import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "./users";
import {
  bumpChatVersion,
  createChat,
  deleteChat,
  getChat,
  listChatsPage,
  readVersions,
  renameChat,
  setChatModel,
  touchChat,
  type ChatCursor,
} from "./chats";
import { branchPage } from "./branches";
import { appendMessage, getMessage, updateMessage } from "./messages";

describe.each(DATABASE_KINDS)("repositories on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function newUser() {
    return (await createGuestUser(database.db, uuidv7())).id;
  }

  async function newChat(userId: string, title = "A chat") {
    return (await createChat(database.db, { id: uuidv7(), userId, title, titleSource: "derived" })).chat;
  }

  async function readAllPages(userId: string, limit: number, between?: (pageIndex: number) => Promise<void>) {
    const seen: string[] = [];
    let after: ChatCursor | undefined;
    for (let pageIndex = 0; pageIndex < 100; pageIndex += 1) {
      const page = await listChatsPage(database.db, userId, { limit, after });
      seen.push(...page.chats.map((chat) => chat.id));
      if (!page.next) break;
      after = page.next;
      await between?.(pageIndex);
    }
    return seen;
  }

  it("pages chats newest activity first and never repeats or skips when read chats are touched between pages", async () => {
    const userId = await newUser();
    const created: string[] = [];
    for (let index = 0; index < 23; index += 1) created.push((await newChat(userId, `chat ${index}`)).id);

    const untouched = await readAllPages(userId, 5);
    expect(untouched).toHaveLength(23);
    expect(new Set(untouched).size).toBe(23);

    // Between page reads, chats already read move to the top and a new chat appears:
    // the keyset continues exactly where it was, where OFFSET would repeat rows.
    const readSoFar: string[] = [];
    const seen = await readAllPages(userId, 5, async (pageIndex) => {
      const page = await listChatsPage(database.db, userId, { limit: 5 * (pageIndex + 1) });
      readSoFar.splice(0, readSoFar.length, ...page.chats.map((chat) => chat.id));
      await touchChat(database.db, userId, readSoFar[readSoFar.length - 1]);
      await touchChat(database.db, userId, readSoFar[0]);
      await newChat(userId, `added after page ${pageIndex}`);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => created.includes(id)).sort()).toEqual([...created].sort());
  });

  it("creates one chat for one client id, however often it is asked", async () => {
    const userId = await newUser();
    const fields = { userId, title: "Once", titleSource: "derived" as const, clientId: "new-chat-key" };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => createChat(database.db, { id: uuidv7(), ...fields })),
    );
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.chat.id)).size).toBe(1);
    expect((await listChatsPage(database.db, userId, { limit: 10 })).chats).toHaveLength(1);
    // Another user may use the same client id.
    expect(
      (await createChat(database.db, { id: uuidv7(), ...fields, userId: await newUser() })).created,
    ).toBe(true);
  });

  it("orders by latest activity with the id breaking ties", async () => {
    const userId = await newUser();
    const first = await newChat(userId, "first");
    const second = await newChat(userId, "second");
    expect(second.id > first.id).toBe(true);
    // PGlite's clock ticks in milliseconds: let it move, or the touch may tie with the creation.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await touchChat(database.db, userId, first.id);
    const page = await listChatsPage(database.db, userId, { limit: 10 });
    expect(page.chats.map((chat) => chat.title)).toEqual(["first", "second"]);
    expect(page.next).toBeUndefined();

    // The same instant: the newer id comes first.
    await database.db
      .updateTable("chats")
      .set({ updated_at: new Date("2026-01-01T00:00:00Z") })
      .where("user_id", "=", userId)
      .execute();
    const tied = await listChatsPage(database.db, userId, { limit: 10 });
    expect(tied.chats.map((chat) => chat.title)).toEqual(["second", "first"]);
  });

  it("stores one message for 20 concurrent appends with one client id", async () => {
    const userId = await newUser();
    const chat = await newChat(userId);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        appendMessage(database.db, userId, {
          id: uuidv7(),
          chatId: chat.id,
          role: "user",
          parentId: null,
          content: "hello once",
          status: "complete",
          clientId: "client-1",
        }),
      ),
    );
    expect(results.every((result) => result !== undefined)).toBe(true);
    expect(results.filter((result) => result?.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result?.message.id)).size).toBe(1);
    const page = await branchPage(database.db, userId, chat.id, { limit: 50 });
    expect(page?.messages).toHaveLength(1);
  });

  it("pages a chat's branch newest first by cursor", async () => {
    const userId = await newUser();
    const chat = await newChat(userId);
    let parentId: string | null = null;
    for (let index = 0; index < 7; index += 1) {
      const id = uuidv7();
      await appendMessage(database.db, userId, {
        id,
        parentId,
        chatId: chat.id,
        role: index % 2 ? "assistant" : "user",
        content: `m${index}`,
        status: "complete",
        clientId: index % 2 ? null : `c${index}`,
      });
      parentId = id;
    }
    // No leaf recorded (rows written outside the chat writes): the newest message ends the branch.
    const first = await branchPage(database.db, userId, chat.id, { limit: 3 });
    expect(first?.messages.map((message) => message.content)).toEqual(["m6", "m5", "m4"]);
    const second = await branchPage(database.db, userId, chat.id, { limit: 3, before: first?.before });
    expect(second?.messages.map((message) => message.content)).toEqual(["m3", "m2", "m1"]);
    const third = await branchPage(database.db, userId, chat.id, { limit: 3, before: second?.before });
    expect(third?.messages.map((message) => message.content)).toEqual(["m0"]);
    expect(third?.before).toBeUndefined();
    expect(third?.messages[0].siblings).toEqual({ position: 1, count: 1, previousId: null, nextId: null });
    // A cursor naming no message of this chat is refused, not read from.
    expect(
      await branchPage(database.db, userId, chat.id, {
        limit: 3,
        before: { createdAt: new Date(), id: uuidv7() },
      }),
    ).toBeNull();
  });

  it("renames, updates, versions and deletes a chat with its messages", async () => {
    const userId = await newUser();
    const chat = await newChat(userId);
    const renamed = await renameChat(database.db, userId, chat.id, "Renamed", "user");
    expect(renamed?.title).toBe("Renamed");
    expect(renamed?.version).toBe(chat.version + 1);
    expect(await bumpChatVersion(database.db, userId, chat.id)).toBe(chat.version + 2);
    expect((await setChatModel(database.db, userId, chat.id, "m-1"))?.model).toBe("m-1");
    const appended = await appendMessage(database.db, userId, {
      id: uuidv7(),
      chatId: chat.id,
      parentId: null,
      role: "assistant",
      content: "",
      status: "pending",
      clientId: null,
    });
    const updated = await updateMessage(database.db, userId, appended!.message.id, {
      content: "done",
      status: "complete",
    });
    expect(updated?.status).toBe("complete");
    expect(
      await updateMessage(
        database.db,
        userId,
        appended!.message.id,
        { status: "stopped" },
        { onlyIfStatus: "pending" },
      ),
    ).toBeUndefined();
    expect((await readVersions(database.db, userId, chat.id)).chat).toBe(chat.version + 3);

    expect(await deleteChat(database.db, userId, chat.id)).toBe(chat.version + 3);
    expect(await getChat(database.db, userId, chat.id)).toBeUndefined();
    expect(await getMessage(database.db, userId, appended!.message.id)).toBeUndefined();
    expect(await deleteChat(database.db, userId, chat.id)).toBeUndefined();
    expect((await readVersions(database.db, userId, chat.id)).chat).toBeNull();
  });

  it("keeps a user's chat invisible to another user through every call", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const chat = await newChat(owner, "private");
    const message = await appendMessage(database.db, owner, {
      id: uuidv7(),
      chatId: chat.id,
      parentId: null,
      role: "user",
      content: "secret",
      status: "complete",
      clientId: "k",
    });

    expect(await getChat(database.db, stranger, chat.id)).toBeUndefined();
    expect((await listChatsPage(database.db, stranger, { limit: 50 })).chats).toEqual([]);
    expect(await renameChat(database.db, stranger, chat.id, "mine now", "user")).toBeUndefined();
    expect(await touchChat(database.db, stranger, chat.id)).toBeUndefined();
    expect(await bumpChatVersion(database.db, stranger, chat.id)).toBeUndefined();
    expect(await setChatModel(database.db, stranger, chat.id, "x")).toBeUndefined();
    expect(await deleteChat(database.db, stranger, chat.id)).toBeUndefined();
    expect((await readVersions(database.db, stranger, chat.id)).chat).toBeNull();
    // The owner's client id (the idempotent path) and a fresh one: neither lets a stranger in.
    for (const clientId of ["k", "other"]) {
      const intrusion = {
        id: uuidv7(),
        chatId: chat.id,
        parentId: null,
        role: "user" as const,
        content: "intrusion",
        status: "complete" as const,
        clientId,
      };
      expect(await appendMessage(database.db, stranger, intrusion), clientId).toBeUndefined();
    }
    expect((await branchPage(database.db, stranger, chat.id, { limit: 50 }))?.messages).toEqual([]);
    const before = { createdAt: new Date(), id: message!.message.id };
    expect(await branchPage(database.db, stranger, chat.id, { limit: 50, before })).toBeNull();
    expect(await getMessage(database.db, stranger, message!.message.id)).toBeUndefined();
    expect(
      await updateMessage(database.db, stranger, message!.message.id, { content: "changed" }),
    ).toBeUndefined();

    // And the owner's data is untouched by all of that.
    const own = await branchPage(database.db, owner, chat.id, { limit: 50 });
    expect(own?.messages.map((row) => row.content)).toEqual(["secret"]);
    expect((await getChat(database.db, owner, chat.id))?.title).toBe("private");
  });
});
