import { DATABASE_KINDS, type TestDatabase } from "#db/testing/test-database";
import { uuidv7 } from "#db/ids";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { createGuestUser } from "./users";
import { createChat, renameChat } from "./chats";
import { appendMessage, updateMessage, type NewMessage } from "./messages";
import { branchPage } from "./branches";
import { pageStartAround } from "./branch-start";
import { searchChats, SNIPPET_MARKS, type SearchCursor } from "./search";
import { searchTerms } from "./search-terms";

describe.each(DATABASE_KINDS)("search on %s", (kind) => {
  let opened: TestRepositories;
  let database: TestDatabase;
  beforeAll(async () => {
    opened = await openTestRepositories(kind);
    database = opened.database;
  });
  afterAll(() => opened?.close());

  async function newUser() {
    return (await createGuestUser(database.db, uuidv7())).id;
  }

  async function chatWith(userId: string, title: string, ...contents: string[]) {
    const { chat } = await createChat(database.db, { id: uuidv7(), userId, title, titleSource: "derived" });
    const messageIds: string[] = [];
    for (const content of contents) {
      const parentId = messageIds[messageIds.length - 1] ?? null;
      const placed = { ...userMessage(content), chatId: chat.id, parentId };
      const appended = await appendMessage(database.db, userId, placed);
      messageIds.push(appended!.message.id);
    }
    return { chatId: chat.id, messageIds };
  }

  const search = (userId: string, query: string, limit = 20, after?: SearchCursor) =>
    searchChats(database.db, userId, searchTerms(query), { limit, after });

  const marked = (text: string) =>
    text.replaceAll(SNIPPET_MARKS.start, "[").replaceAll(SNIPPET_MARKS.end, "]");

  it("finds words in titles and in message text, the title match first", async () => {
    const userId = await newUser();
    const inBody = await chatWith(userId, "Weekend plans", "We could tune the postgres database on Sunday.");
    const inTitle = await chatWith(userId, "Database tuning", "Where do I start?");
    await chatWith(userId, "Unrelated", "Nothing to see here.");

    const { hits } = await search(userId, "database");
    expect(hits.map((hit) => [hit.chatId, hit.messageId])).toEqual([
      [inTitle.chatId, null],
      [inBody.chatId, inBody.messageIds[0]],
    ]);
    expect(marked(hits[0].title)).toBe("[Database] tuning");
    expect(marked(hits[1].snippet!)).toContain("postgres [database] on Sunday");
    // Stemmed: the plural finds the singular.
    expect((await search(userId, "databases")).hits).toHaveLength(2);
  });

  it("ranks a message that is mostly about the words above one that mentions them in passing", async () => {
    const userId = await newUser();
    const passing = await chatWith(
      userId,
      "Notes",
      "A long note about gardening, tomatoes, watering schedules, compost, and once the word kettle, then more about soil and weather and seeds.",
    );
    const focused = await chatWith(
      userId,
      "More notes",
      "Kettle descaling: descale the kettle with vinegar.",
    );
    const { hits } = await search(userId, "kettle");
    expect(hits.map((hit) => hit.messageId)).toEqual([focused.messageIds[0], passing.messageIds[0]]);
  });

  it("finds part-words of a short query", async () => {
    const userId = await newUser();
    const chat = await chatWith(userId, "Chat", "Migrating the database to a new server.");
    expect((await search(userId, "datab")).hits.map((hit) => hit.messageId)).toEqual([chat.messageIds[0]]);
    expect((await search(userId, "migr datab")).hits.map((hit) => hit.messageId)).toEqual([
      chat.messageIds[0],
    ]);
    expect((await search(userId, "datax")).hits).toEqual([]);
  });

  it("finds words of other languages, accents included, as typed", async () => {
    const userId = await newUser();
    const german = await chatWith(userId, "Reise", "Die Straße nach München ist schön.");
    const french = await chatWith(userId, "Cuisine", "L'élève a préparé un café crème.");
    const russian = await chatWith(userId, "Привет", "Мы обсуждали базы данных и погоду.");
    const ids = async (query: string) => (await search(userId, query)).hits.map((hit) => hit.chatId);
    expect(await ids("Straße")).toEqual([german.chatId]);
    expect(await ids("münchen")).toEqual([german.chatId]);
    expect(await ids("élève")).toEqual([french.chatId]);
    expect(await ids("café crème")).toEqual([french.chatId]);
    expect(await ids("погоду")).toEqual([russian.chatId]);
    expect(await ids("привет")).toEqual([russian.chatId]);
    // A part-word in Cyrillic too.
    expect(await ids("обсужд")).toEqual([russian.chatId]);
  });

  it("takes quotes, operators, stray tsquery syntax and stop words without failing", async () => {
    const userId = await newUser();
    const chat = await chatWith(userId, "Phrases", "red apple pie", "green apple juice");
    const messageIds = async (query: string) =>
      (await search(userId, query)).hits.map((hit) => hit.messageId);
    expect(await messageIds('"apple pie"')).toEqual([chat.messageIds[0]]);
    expect(await messageIds("apple -pie")).toEqual([chat.messageIds[1]]);
    expect((await messageIds("pie or juice")).sort()).toEqual([...chat.messageIds].sort());
    for (const query of [
      "&",
      "|",
      "!",
      ":*",
      "(",
      ")",
      "a & b | !c : * ( )",
      "'",
      "''",
      "\\",
      "<->",
      "apple:* & (pie",
      "'apple' | 'juice'",
      '"',
      "the",
      "-",
      "𝓤𝓷𝓲𝓬𝓸𝓭𝓮 🍎 ‮rtl",
    ]) {
      await expect(search(userId, query), query).resolves.toBeDefined();
    }
    // Operator characters are separators, never syntax: "apple:*" is the word apple.
    expect((await messageIds("apple:*")).sort()).toEqual([...chat.messageIds].sort());
  });

  it("never returns another user's chats or messages", async () => {
    const mine = await newUser();
    const theirs = await newUser();
    const own = await chatWith(mine, "Secret recipe", "secret recipe for dumplings");
    await chatWith(theirs, "Secret recipe", "secret recipe for dumplings");
    const { hits } = await search(mine, "secret recipe dumplings");
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((hit) => hit.chatId))).toEqual(new Set([own.chatId]));
    expect((await search(await newUser(), "secret")).hits).toEqual([]);
  });

  it("pages by keyset without repeating or skipping, equal ranks included", async () => {
    const userId = await newUser();
    const contents = Array.from({ length: 23 }, (_, index) => `pagination sample number ${index}`);
    const { messageIds } = await chatWith(userId, "Many", ...contents);
    const seen: string[] = [];
    let after: SearchCursor | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await search(userId, "pagination", 10, after);
      seen.push(...result.hits.map((hit) => hit.messageId!));
      if (!result.next) break;
      after = result.next;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(messageIds));
  });

  it("keeps the index current when a message is edited or a chat renamed (the database maintains it)", async () => {
    const userId = await newUser();
    const chat = await chatWith(userId, "Before", "original wording");
    await updateMessage(database.db, userId, chat.messageIds[0], { content: "revised phrasing" });
    await renameChat(database.db, userId, chat.chatId, "Afterwards", "user");
    expect((await search(userId, "original")).hits).toEqual([]);
    expect((await search(userId, "revised")).hits.map((hit) => hit.messageId)).toEqual(chat.messageIds);
    expect((await search(userId, "afterwards")).hits.map((hit) => hit.chatId)).toEqual([chat.chatId]);
  });

  it("returns markup in a message as text, with only its own marks around matches", async () => {
    const userId = await newUser();
    const content = `<img src=x onerror=alert(1)> payload ${SNIPPET_MARKS.start}fake${SNIPPET_MARKS.end} <script>alert(2)</script>`;
    await chatWith(userId, "<b>bold</b> payload", content);
    const { hits } = await search(userId, "payload");
    const message = hits.find((hit) => hit.messageId)!;
    // A snippet starts and ends at a word, so the outermost brackets may fall outside it.
    expect(marked(message.snippet!)).toBe(
      "img src=x onerror=alert(1)> [payload] fake <script>alert(2)</script",
    );
    expect(marked(hits.find((hit) => !hit.messageId)!.title)).toBe("<b>bold</b> [payload]");
  });

  const reply = (content: string): NewMessage => ({ ...pendingReply(), content, status: "complete" });

  /**
   * A chat of question/answer pairs (`q0 a0 q1 a1 …`, each text also holding `words(n)`), then
   * its second question edited: the old continuation from q1 on is a hidden version.
   */
  async function branchedChat(pairs: number, words: (n: number) => string, edited: string) {
    const userId = await newUser();
    const chatId = uuidv7();
    const initial = Array.from({ length: pairs }, (_, n) => [
      userMessage(`q${n} ${words(n)}`),
      reply(`a${n} ${words(n)}`),
    ]).flat();
    await opened.chats.createChat({ id: chatId, userId, title: "Branched", titleSource: "derived" }, initial);
    const edit = await opened.chats.editMessage(
      userId,
      chatId,
      initial[2].id,
      { content: edited, clientId: uuidv7() },
      pendingReply(),
    );
    if (edit.kind !== "branched") throw new Error(`edit: ${edit.kind}`);
    const done = await opened.chats.updateMessage(userId, chatId, edit.reply.id, {
      content: "an answer to the edit",
      status: "complete",
    });
    expect(done.kind).toBe("updated");
    // The edited question is the new reply's parent.
    return { userId, chatId, initial, edit: { reply: edit.reply, message: { id: edit.reply.parent_id! } } };
  }

  it("finds only messages on the branch a chat shows, and the old ones again when their version is shown", async () => {
    const { userId, chatId, initial, edit } = await branchedChat(
      4,
      (n) => (n === 0 ? "common" : n === 1 ? "common giraffe" : "giraffe"),
      "q1 rewritten about a zebra",
    );
    const messageIds = async (query: string) =>
      (await search(userId, query)).hits.map((hit) => hit.messageId).sort();
    // q1 … a3 hold "giraffe" and are all off the branch shown now.
    expect(await messageIds("giraffe")).toEqual([]);
    expect(await messageIds("zebra")).toEqual([edit.message.id]);
    expect(await messageIds("common")).toEqual([initial[0].id, initial[1].id].sort());
    // The title is the chat's, whichever version is shown.
    expect((await search(userId, "branched")).hits.map((hit) => [hit.chatId, hit.messageId])).toEqual([
      [chatId, null],
    ]);

    expect((await opened.chats.showVersion(userId, chatId, initial[2].id)).kind).toBe("shown");
    expect(await messageIds("giraffe")).toEqual(
      initial
        .slice(2)
        .map((message) => message.id)
        .sort(),
    );
    expect(await messageIds("zebra")).toEqual([]);
  });

  it("pages over the visible hits exactly once when most matches are on hidden versions", async () => {
    const { userId, initial, edit } = await branchedChat(15, () => "kiwi", "q1 kiwi again");
    const visibleChat = await chatWith(userId, "Fruit", ...Array.from({ length: 5 }, (_, n) => `kiwi ${n}`));
    const expected = [initial[0].id, initial[1].id, edit.message.id, ...visibleChat.messageIds].sort();
    for (const limit of [1, 2, 3, 20]) {
      const seen: string[] = [];
      let after: SearchCursor | undefined;
      for (let page = 0; page < 40; page += 1) {
        const result = await search(userId, "kiwi", limit, after);
        expect(result.hits.length).toBeLessThanOrEqual(limit);
        seen.push(...result.hits.map((hit) => hit.messageId!));
        if (!result.next) break;
        after = result.next;
      }
      expect(seen.sort(), `limit ${limit}`).toEqual(expected);
    }
  });

  it("finds where the page showing a message starts on the branch shown, not among hidden versions", async () => {
    const { userId, chatId, initial, edit } = await branchedChat(10, (n) => `old ${n}`, "q1 edited");
    // Ten more messages on the new branch: q0 a0 q1' a1' n0 … n9.
    const more = Array.from({ length: 10 }, (_, n) => userMessage(`n${n}`));
    for (const message of more)
      expect((await opened.chats.appendMessages(userId, chatId, [message])).kind).toBe("appended");

    const start = await pageStartAround(database.db, userId, chatId, initial[1].id, 3);
    // a0 is followed by q1', a1', n0 (three newer), so the page is the ancestors of n1.
    expect(start?.id).toBe(more[1].id);
    const page = await branchPage(database.db, userId, chatId, { limit: 8, before: start! });
    expect(page?.messages.map((message) => message.id)).toEqual([
      more[0].id,
      edit.reply.id,
      edit.message.id,
      initial[1].id,
      initial[0].id,
    ]);
    expect(await pageStartAround(database.db, userId, chatId, more[7].id, 3)).toBeNull();
    // Messages of the hidden version, another chat's and another user's are not on this branch.
    expect(await pageStartAround(database.db, userId, chatId, initial[2].id, 3)).toBeUndefined();
    expect(await pageStartAround(database.db, userId, chatId, initial[19].id, 0)).toBeUndefined();
    const other = await chatWith(await newUser(), "Other", "x");
    expect(await pageStartAround(database.db, userId, chatId, other.messageIds[0], 3)).toBeUndefined();
    expect(await pageStartAround(database.db, userId, other.chatId, other.messageIds[0], 3)).toBeUndefined();
    expect(await pageStartAround(database.db, await newUser(), chatId, initial[0].id, 3)).toBeUndefined();
  });
});
