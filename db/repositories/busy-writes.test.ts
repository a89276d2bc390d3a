import { sql } from "kysely";
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
    (await opened.chats.visibleBranchMessages(userId, chatId)).map(
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

  it("refuses an edit or a regeneration (a new version) while a reply is pending", async () => {
    const { chats } = opened;
    const { userId, chatId } = await chatWithPendingReply();
    const appended = await chats.appendMessages(userId, chatId, [userMessage("q2")]);
    if (appended.kind !== "appended") throw new Error(`setup failed: ${appended.kind}`);
    const before = await contents(userId, chatId);
    const edit = { content: "q2 edited", clientId: null };
    expect(await chats.editMessage(userId, chatId, appended.messages[0].id, edit, pendingReply())).toEqual({
      kind: "busy",
    });
    const [, reply] = await chats.visibleBranchMessages(userId, chatId);
    expect(await chats.regenerateReply(userId, chatId, reply.id, pendingReply())).toEqual({ kind: "busy" });
    expect(await chats.showVersion(userId, chatId, reply.id)).toEqual({ kind: "busy" });
    expect(await contents(userId, chatId)).toEqual(before);
    expect((await chats.messageTree(userId, chatId))?.messages).toHaveLength(3);
  });

  it("adds versions and updates as before when no other reply is pending", async () => {
    const { chats } = opened;
    const { userId, chatId, replyId } = await chatWithPendingReply();
    const finished = await chats.updateMessage(userId, chatId, replyId, {
      content: "a1",
      status: "complete",
    });
    expect(finished.kind).toBe("updated");
    const [first] = await chats.visibleBranchMessages(userId, chatId);
    const edited = await chats.editMessage(
      userId,
      chatId,
      first.id,
      { content: "q1 edited", clientId: null },
      pendingReply(),
    );
    expect(edited.kind).toBe("branched");
    expect(await contents(userId, chatId)).toEqual(["q1 edited:complete", ":pending"]);
    expect(await chats.updateMessage(userId, chatId, uuidv7(), { content: "x" })).toEqual({
      kind: "not-found",
    });
  });
});

// Two connections at once: only Postgres has them (PGlite runs one statement at a time).
describe("a reply's final write beside a send into the same chat, on postgres", () => {
  let opened: TestRepositories;
  beforeAll(async () => {
    opened = await openTestRepositories("postgres");
  });
  afterAll(() => opened?.close());

  it("waits for the chat's lock before it touches the reply, so the two never deadlock", async () => {
    const { db } = opened.database;
    const userId = (await createGuestUser(db, uuidv7())).id;
    const chatId = uuidv7();
    const reply = pendingReply();
    await opened.chats.createChat({ id: chatId, userId, title: "t", titleSource: "derived" }, [
      userMessage("q1"),
      reply,
    ]);
    const waitingOnLocks = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
          db,
        )
      ).rows[0].n;

    // A send as appendToChat makes it: the chat's row first, then a new pending reply. Between
    // the two, the reply being written finishes.
    let finished: Promise<unknown> | undefined;
    const send = db.transaction().execute(async (trx) => {
      await sql`select id from chats where id = ${chatId} for update`.execute(trx);
      finished = opened.chats.updateMessage(userId, chatId, reply.id, {
        content: "done",
        status: "complete",
      });
      finished.catch(() => {}); // read below; not an unhandled rejection while this waits
      for (let tries = 0; (await waitingOnLocks()) === 0; tries += 1) {
        if (tries > 100) throw new Error("the final write never waited for the chat's lock");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The reply is still pending as far as this transaction can tell: the insert is refused
      // (busy, as the app answers), and must not wait on the final write.
      await sql`insert into messages (id, chat_id, parent_id, role, content, status) values (${uuidv7()}, ${chatId}, ${reply.id}, 'assistant', '', 'pending')`.execute(
        trx,
      );
    });
    await expect(send).rejects.toThrow(/messages_one_pending_reply_idx/);
    await expect(finished).resolves.toMatchObject({ kind: "updated", message: { status: "complete" } });
  });
});
