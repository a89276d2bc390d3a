import { uuidv7 } from "#db/ids";
import type { NewMessage } from "#db/repositories/messages";
import { DATABASE_KINDS } from "#db/testing/test-database";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { branchPage, messageTree, visibleBranchMessages } from "./branches";
import { createGuestUser } from "./users";

const reply = (content: string): NewMessage => ({ ...pendingReply(), content, status: "complete" });

describe.each(DATABASE_KINDS)("message branches on %s", (kind) => {
  let opened: TestRepositories;
  beforeAll(async () => {
    opened = await openTestRepositories(kind);
  });
  afterAll(() => opened?.close());

  /** A chat of four questions and their answers: q1 a1 q2 a2 q3 a3 q4 a4. */
  async function chatOfFour() {
    const userId = (await createGuestUser(opened.database.db, uuidv7())).id;
    const chatId = uuidv7();
    const initial = [1, 2, 3, 4].flatMap((n) => [userMessage(`q${n}`), reply(`a${n}`)]);
    await opened.chats.createChat({ id: chatId, userId, title: "Four", titleSource: "derived" }, initial);
    const ids = Object.fromEntries(initial.map((message) => [message.content, message.id]));
    return { userId, chatId, ids };
  }

  const shown = async (userId: string, chatId: string) =>
    (await opened.chats.visibleBranchMessages(userId, chatId)).map((message) => message.content);

  /** Finishes the pending reply the last write added, as the generator would. */
  async function finish(userId: string, chatId: string, replyId: string, content: string) {
    const done = await opened.chats.updateMessage(userId, chatId, replyId, { content, status: "complete" });
    expect(done.kind).toBe("updated");
  }

  it("stores a new chat and every append as one branch, each message following the one before", async () => {
    const { userId, chatId, ids } = await chatOfFour();
    const appended = await opened.chats.appendMessages(userId, chatId, [userMessage("q5"), reply("a5")]);
    expect(appended.kind).toBe("appended");
    const tree = await messageTree(opened.database.db, userId, chatId);
    const parents = tree?.messages.map((message) => message.parent_id);
    const order = tree?.messages.map((message) => message.id) ?? [];
    expect(parents).toEqual([null, ...order.slice(0, -1)]);
    expect(tree?.activeLeafId).toBe(order[order.length - 1]);
    expect(order.slice(0, 8)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"].map((c) => ids[c]));
  });

  it("edits the second of four questions as a new version and keeps the old continuation", async () => {
    const { chats } = opened;
    const { userId, chatId, ids } = await chatOfFour();
    const versionBefore = (await chats.versions(userId, chatId)).chat ?? 0;
    const edited = await chats.editMessage(
      userId,
      chatId,
      ids.q2,
      { content: "q2, better", clientId: "edit-key-1" },
      pendingReply(),
    );
    if (edited.kind !== "branched") throw new Error(`edit: ${edited.kind}`);
    await finish(userId, chatId, edited.reply.id, "a2 to the better q2");
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2, better", "a2 to the better q2"]);
    expect((await chats.versions(userId, chatId)).chat).toBeGreaterThan(versionBefore);

    // The model is sent this branch only.
    const history = await chats.branchEndingAt(userId, chatId, edited.reply.id);
    expect(history.map((message) => message.content)).toEqual([
      "q1",
      "a1",
      "q2, better",
      "a2 to the better q2",
    ]);

    // The new question is a sibling of the old one: same parent, "2 / 2".
    const page = await chats.listMessages(userId, chatId, { limit: 50 });
    const [answer, question] = page?.messages ?? [];
    expect(question.parent_id).toBe(ids.a1);
    expect(question.siblings).toEqual({ position: 2, count: 2, previousId: ids.q2, nextId: null });
    expect(answer.siblings).toEqual({ position: 1, count: 1, previousId: null, nextId: null });

    // Nothing was deleted: the old question and all that followed are still there.
    const tree = await chats.messageTree(userId, chatId);
    expect(tree?.messages).toHaveLength(10);
    expect(tree?.activeLeafId).toBe(edited.reply.id);

    // The same edit posted twice stores one version.
    const again = await chats.editMessage(
      userId,
      chatId,
      ids.q2,
      { content: "q2, better", clientId: "edit-key-1" },
      pendingReply(),
    );
    expect(again).toEqual({ kind: "duplicate" });
    expect((await chats.messageTree(userId, chatId))?.messages).toHaveLength(10);

    // Back to the first version: its whole continuation, as it was.
    expect((await chats.showVersion(userId, chatId, ids.q2)).kind).toBe("shown");
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"]);
    const old = await chats.listMessages(userId, chatId, { limit: 50 });
    const oldQuestion = old?.messages.find((message) => message.id === ids.q2);
    expect(oldQuestion?.siblings).toEqual({ position: 1, count: 2, previousId: null, nextId: question.id });
    expect((await chats.showVersion(userId, chatId, question.id)).kind).toBe("shown");
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2, better", "a2 to the better q2"]);
  });

  it("regenerates any reply as a sibling, and a version comes back with the branch last chosen under it", async () => {
    const { chats } = opened;
    const { userId, chatId, ids } = await chatOfFour();
    const regenerated = await chats.regenerateReply(userId, chatId, ids.a3, {
      ...pendingReply(),
      clientId: "regen-key-1",
    });
    if (regenerated.kind !== "branched") throw new Error(`regenerate: ${regenerated.kind}`);
    await finish(userId, chatId, regenerated.reply.id, "a3, again");
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3, again"]);
    const [newest] = (await chats.listMessages(userId, chatId, { limit: 1 }))?.messages ?? [];
    expect(newest.siblings).toEqual({ position: 2, count: 2, previousId: ids.a3, nextId: null });

    // Edit q2 (a second branch higher up), then come back to q2: the regenerated a3 is shown,
    // the branch last chosen under it, not the newest or the first.
    const edited = await chats.editMessage(
      userId,
      chatId,
      ids.q2,
      { content: "q2 again", clientId: null },
      pendingReply(),
    );
    if (edited.kind !== "branched") throw new Error(`edit: ${edited.kind}`);
    await finish(userId, chatId, edited.reply.id, "a2 again");
    await chats.showVersion(userId, chatId, ids.q2);
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3, again"]);
    await chats.showVersion(userId, chatId, ids.a3);
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"]);
    await chats.showVersion(userId, chatId, edited.reply.id);
    await chats.showVersion(userId, chatId, ids.q2);
    expect(await shown(userId, chatId)).toEqual(["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"]);

    // A version of the first message (no parent) works the same.
    const root = await chats.editMessage(
      userId,
      chatId,
      ids.q1,
      { content: "q1 anew", clientId: null },
      pendingReply(),
    );
    if (root.kind !== "branched") throw new Error(`edit: ${root.kind}`);
    const [answer, first] = (await chats.listMessages(userId, chatId, { limit: 50 }))?.messages ?? [];
    expect(answer.id).toBe(root.reply.id);
    expect(first.parent_id).toBeNull();
    expect(first.siblings).toEqual({ position: 2, count: 2, previousId: ids.q1, nextId: null });
  });

  it("pages the visible branch by cursor, newest first, and only that branch", async () => {
    const { chats } = opened;
    const { userId, chatId, ids } = await chatOfFour();
    const edited = await chats.editMessage(
      userId,
      chatId,
      ids.q3,
      { content: "q3'", clientId: null },
      pendingReply(),
    );
    if (edited.kind !== "branched") throw new Error(`edit: ${edited.kind}`);
    const db = opened.database.db;
    const first = await branchPage(db, userId, chatId, { limit: 3 });
    expect(first?.messages.map((message) => message.content)).toEqual(["", "q3'", "a2"]);
    const second = await branchPage(db, userId, chatId, { limit: 3, before: first?.before });
    expect(second?.messages.map((message) => message.content)).toEqual(["q2", "a1", "q1"]);
    expect(second?.before).toBeUndefined();
    expect((await visibleBranchMessages(db, userId, chatId)).map((message) => message.content)).toEqual([
      "q1",
      "a1",
      "q2",
      "a2",
      "q3'",
      "",
    ]);
  });

  it("gives another visitor, another chat's message and a made-up id a not-found, and changes nothing", async () => {
    const { chats } = opened;
    const { userId, chatId, ids } = await chatOfFour();
    const other = await chatOfFour();
    const stranger = (await createGuestUser(opened.database.db, uuidv7())).id;
    const strangerChat = await chatOf(stranger);
    const before = await chats.messageTree(userId, chatId);
    const version = (await chats.versions(userId, chatId)).chat;
    const edit = { content: "taken over", clientId: null };
    const attempts: Array<[string, string, string, string]> = [
      // [who, chat, message, what]
      [stranger, chatId, ids.q2, "a stranger in the owner's chat"],
      [stranger, strangerChat, ids.q2, "a stranger's chat naming the owner's message"],
      [userId, other.chatId, ids.q2, "the owner's other chat naming this chat's message"],
      [userId, chatId, other.ids.q2, "this chat naming the owner's other chat's message"],
      [userId, chatId, uuidv7(), "a made-up message"],
    ];
    for (const [who, chat, message, what] of attempts) {
      expect(await chats.editMessage(who, chat, message, edit, pendingReply()), what).toEqual({
        kind: "not-found",
      });
      expect(await chats.showVersion(who, chat, message), what).toEqual({ kind: "not-found" });
    }
    for (const [who, chat, message, what] of attempts) {
      const answer = message === ids.q2 ? ids.a2 : message === other.ids.q2 ? other.ids.a2 : message;
      expect(await chats.regenerateReply(who, chat, answer, pendingReply()), what).toEqual({
        kind: "not-found",
      });
    }
    // A question is not a reply, nor a reply a question.
    expect((await chats.regenerateReply(userId, chatId, ids.q2, pendingReply())).kind).toBe("not-found");
    expect((await chats.editMessage(userId, chatId, ids.a2, edit, pendingReply())).kind).toBe("not-found");

    expect(await chats.messageTree(userId, chatId)).toEqual(before);
    expect((await chats.versions(userId, chatId)).chat).toBe(version);
    expect(await chats.messageTree(stranger, chatId)).toBeUndefined();
    expect(await chats.visibleBranchMessages(stranger, chatId)).toEqual([]);
    expect(await chats.branchEndingAt(stranger, chatId, ids.a4)).toEqual([]);
    expect(
      await chats.listMessages(stranger, chatId, {
        limit: 50,
        before: { createdAt: new Date(), id: ids.a4 },
      }),
    ).toBeNull();
  });

  it("reads message rows with their named columns only: no search vector in pages, branches or the tree", async () => {
    const { userId, chatId, ids } = await chatOfFour();
    const db = opened.database.db;
    const rows = [
      ...((await branchPage(db, userId, chatId, { limit: 3 }))?.messages ?? []),
      ...((await branchPage(db, userId, chatId, { limit: 3, before: { createdAt: new Date(), id: ids.q3 } }))
        ?.messages ?? []),
      ...(await visibleBranchMessages(db, userId, chatId)),
      ...(await opened.chats.branchEndingAt(userId, chatId, ids.a2)),
      ...((await messageTree(db, userId, chatId))?.messages ?? []),
    ];
    expect(rows.length).toBe(3 + 3 + 8 + 4 + 8);
    for (const row of rows) {
      expect(Object.keys(row)).not.toContain("search_vector");
      expect(row).toHaveProperty("parent_id");
      expect(row).toHaveProperty("chosen_at");
    }
  });

  async function chatOf(userId: string): Promise<string> {
    const chatId = uuidv7();
    await opened.chats.createChat({ id: chatId, userId, title: "Theirs", titleSource: "derived" }, [
      userMessage("their q"),
    ]);
    return chatId;
  }
});
