import { createMemoryHotStore } from "#db/hot-store/memory-store";
import type { HotStore } from "#db/hot-store/hot-store";
import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import type { ChatRepository } from "./chat-repository";
import { createRepositories } from "./create-repositories";
import type { NewMessage } from "./messages";
import { createGuestUser } from "./users";

const question = (content: string): NewMessage => ({
  id: uuidv7(),
  chatId: "",
  role: "user",
  content,
  status: "complete",
  clientId: uuidv7(),
});
const pendingReply = (): NewMessage => ({
  id: uuidv7(),
  chatId: "",
  role: "assistant",
  content: "",
  status: "pending",
  clientId: null,
});

// Every write that could make a second reply pending answers { kind: "busy" }, none throws.
describe.each(DATABASE_KINDS)("one pending reply per chat on %s", (kind) => {
  let database: TestDatabase;
  let store: HotStore;
  let chats: ChatRepository;
  let dispose: (() => void) | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    store = createMemoryHotStore();
    ({ chats: chats, dispose } = createRepositories({ db: database.db, store, ttlSeconds: 60 }));
  });
  afterAll(async () => {
    dispose?.();
    await store?.close();
    await database?.drop();
  });

  /** A chat whose reply is still being written. */
  async function chatWithPendingReply() {
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    const reply = pendingReply();
    await chats.createChat({ id: chatId, userId, title: "t", titleSource: "derived" }, [
      question("q1"),
      reply,
    ]);
    return { userId, chatId, replyId: reply.id };
  }

  const contents = async (userId: string, chatId: string) =>
    (await chats.listConversation(userId, chatId)).map((message) => `${message.content}:${message.status}`);

  it("refuses to append a second pending reply", async () => {
    const { userId, chatId } = await chatWithPendingReply();
    const before = await contents(userId, chatId);
    expect(await chats.appendMessages(userId, chatId, [question("q2"), pendingReply()])).toEqual({
      kind: "busy",
    });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("refuses to make an earlier reply pending again (retry) while another is pending", async () => {
    const { userId, chatId, replyId } = await chatWithPendingReply();
    await chats.updateMessage(userId, chatId, replyId, { status: "error" });
    await chats.appendMessages(userId, chatId, [question("q2"), pendingReply()]);
    const before = await contents(userId, chatId);
    expect(
      await chats.updateMessage(userId, chatId, replyId, { status: "pending" }, { touch: true }),
    ).toEqual({
      kind: "busy",
    });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("refuses to rewrite a chat's tail (edit) into a second pending reply", async () => {
    const { userId, chatId } = await chatWithPendingReply();
    const appended = await chats.appendMessages(userId, chatId, [question("q2")]);
    if (appended.kind !== "appended") throw new Error(`setup failed: ${appended.kind}`);
    const before = await contents(userId, chatId);
    expect(
      await chats.rewriteFrom(userId, chatId, appended.messages[0].id, "q2 edited", pendingReply()),
    ).toEqual({ kind: "busy" });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("rewrites and updates as before when no other reply is pending", async () => {
    const { userId, chatId, replyId } = await chatWithPendingReply();
    const finished = await chats.updateMessage(userId, chatId, replyId, {
      content: "a1",
      status: "complete",
    });
    expect(finished.kind).toBe("updated");
    const [first] = await chats.listConversation(userId, chatId);
    const rewritten = await chats.rewriteFrom(userId, chatId, first.id, "q1 edited", pendingReply());
    expect(rewritten.kind).toBe("rewritten");
    expect(await contents(userId, chatId)).toEqual(["q1 edited:complete", ":pending"]);
    expect(await chats.updateMessage(userId, chatId, uuidv7(), { content: "x" })).toEqual({
      kind: "not-found",
    });
  });
});
