import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS } from "#db/testing/test-database";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { createGuestUser } from "./users";

// Every write that could make a second reply pending answers { kind: "busy" }; none throws.
describe.each(DATABASE_KINDS)("one pending reply per chat on %s", (kind) => {
  let opened: TestRepositories;
  beforeAll(async () => {
    opened = await openTestRepositories(kind);
  });
  afterAll(() => opened?.close());

  /** A chat whose reply is still being written. */
  async function chatWithPendingReply() {
    const userId = (await createGuestUser(opened.database.db, uuidv7())).id;
    const chatId = uuidv7();
    const reply = pendingReply();
    await opened.chats.createChat({ id: chatId, userId, title: "t", titleSource: "derived" }, [
      userMessage("q1"),
      reply,
    ]);
    return { userId, chatId, replyId: reply.id };
  }

  const contents = async (userId: string, chatId: string) =>
    (await opened.chats.listConversation(userId, chatId)).map(
      (message) => `${message.content}:${message.status}`,
    );

  it("refuses to append a second pending reply", async () => {
    const { userId, chatId } = await chatWithPendingReply();
    const before = await contents(userId, chatId);
    expect(await opened.chats.appendMessages(userId, chatId, [userMessage("q2"), pendingReply()])).toEqual({
      kind: "busy",
    });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("refuses to make an earlier reply pending again (retry) while another is pending", async () => {
    const { chats } = opened;
    const { userId, chatId, replyId } = await chatWithPendingReply();
    await chats.updateMessage(userId, chatId, replyId, { status: "error" });
    await chats.appendMessages(userId, chatId, [userMessage("q2"), pendingReply()]);
    const before = await contents(userId, chatId);
    expect(
      await chats.updateMessage(userId, chatId, replyId, { status: "pending" }, { touch: true }),
    ).toEqual({
      kind: "busy",
    });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("refuses to rewrite a chat's tail (edit) into a second pending reply", async () => {
    const { chats } = opened;
    const { userId, chatId } = await chatWithPendingReply();
    const appended = await chats.appendMessages(userId, chatId, [userMessage("q2")]);
    if (appended.kind !== "appended") throw new Error(`setup failed: ${appended.kind}`);
    const before = await contents(userId, chatId);
    expect(
      await chats.rewriteFrom(userId, chatId, appended.messages[0].id, "q2 edited", pendingReply()),
    ).toEqual({ kind: "busy" });
    expect(await contents(userId, chatId)).toEqual(before);
  });

  it("rewrites and updates as before when no other reply is pending", async () => {
    const { chats } = opened;
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
