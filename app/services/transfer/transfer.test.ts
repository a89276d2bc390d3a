import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "#db/repositories/users";
import { DATABASE_KINDS } from "#db/testing/test-database";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { chatExport, chatMarkdown, fullExport } from "./export.server";
import { ImportFileError } from "./import-error.server";
import { runImport } from "./import-runner.server";
import { prepareImport } from "./prepare-import.server";

const oneMessage = { id: "m1", role: "user", content: "x", createdAt: "2026-01-01T00:00:00Z" };
/** A Parley export holding one chat with these fields. */
const parleyChat = (fields: object) =>
  JSON.stringify({
    format: "parley.chats",
    version: 1,
    chats: [{ id: "c", title: "t", createdAt: "2026-01-01T00:00:00Z", ...fields }],
  });

describe.each(DATABASE_KINDS)("export and import on %s", (kind) => {
  let repositories: TestRepositories;
  let dir: string;
  /** A seeded account and its full export, shared by the tests (seeding is the slow part). */
  let source: string;
  let sourceExport: string;
  let seedDir: string;
  beforeAll(async () => {
    repositories = await openTestRepositories(kind);
    seedDir = await mkdtemp(path.join(tmpdir(), "parley-transfer-seed-"));
    source = await newUser();
    await seedAccount(source);
    sourceExport = path.join(seedDir, "export.json");
    await writeChunks(fullExport(repositories, source), sourceExport);
  });
  afterAll(async () => {
    await repositories.close();
    await rm(seedDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parley-transfer-test-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function newUser(): Promise<string> {
    return (await createGuestUser(repositories.database.db, uuidv7())).id;
  }

  async function writeChunks(chunks: AsyncGenerator<string>, file: string): Promise<string> {
    const out = createWriteStream(file);
    for await (const chunk of chunks) out.write(chunk);
    await new Promise((resolve) => out.end(resolve));
    return file;
  }

  /** Both passes, as the upload does them; resolves the finished import's row. */
  async function importFile(userId: string, file: string) {
    const work = await mkdtemp(path.join(dir, "work-"));
    const chatsPath = path.join(work, "chats.ndjson");
    const prepared = await prepareImport(file, chatsPath);
    const job = await repositories.transfers.startImport({
      id: uuidv7(),
      userId,
      source: prepared.source,
      fileName: "test.json",
      totalChats: prepared.totalChats,
    });
    await runImport(repositories, userId, job!.id, chatsPath, work);
    return (await repositories.transfers.getImport(userId, job!.id))!;
  }

  async function everything(userId: string) {
    const { chats } = await repositories.chats.listChats(userId, { limit: 100 });
    return Promise.all(
      chats.map(async (chat) => ({
        title: chat.title,
        titleSource: chat.title_source,
        createdAt: chat.created_at.toISOString(),
        updatedAt: chat.updated_at.toISOString(),
        messages: (await repositories.chats.visibleBranchMessages(userId, chat.id)).map((message) => ({
          role: message.role,
          content: message.content,
          status: message.status,
          model: message.model,
          createdAt: message.created_at.toISOString(),
        })),
      })),
    );
  }

  async function refusalOf(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }

  async function seedAccount(userId: string) {
    const first = uuidv7();
    await repositories.chats.createChat({ id: first, userId, title: "Trip to Lyon", titleSource: "user" }, [
      userMessage("How long is the train?"),
    ]);
    await repositories.chats.appendMessages(userId, first, [
      {
        ...userMessage('Ünïcödé ✓ and "quotes"\nand lines'),
        role: "assistant",
        clientId: null,
        model: "m-1",
      },
    ]);
    const second = uuidv7();
    await repositories.chats.createChat({ id: second, userId, title: "Empty-ish", titleSource: "derived" }, [
      userMessage("Only one message"),
    ]);
    // More messages than one export batch holds.
    await repositories.chats.appendMessages(
      userId,
      second,
      Array.from({ length: 505 }, (_, index) => userMessage(`Message ${index}`)),
    );
  }

  it("round-trips a full export into another account: the same chats, messages and order", async () => {
    const target = await newUser();
    const job = await importFile(target, sourceExport);
    expect(job).toMatchObject({ status: "done", total_chats: 2, imported_chats: 2, skipped_chats: 0 });
    const imported = await everything(target);
    expect(imported).toEqual(await everything(source));
    expect(imported[0].messages).toHaveLength(506);
  });

  /**
   * A chat of four questions whose second was edited (a new branch with its own reply), then
   * shown again in its first version: the visible branch is not the newest message's.
   */
  async function branchedChat(userId: string) {
    const chatId = uuidv7();
    const initial = ["q1", "q2", "q3", "q4"].map((text) => userMessage(text));
    await repositories.chats.createChat(
      { id: chatId, userId, title: "Branched", titleSource: "user" },
      initial,
    );
    const edited = await repositories.chats.editMessage(
      userId,
      chatId,
      initial[1].id,
      { content: "q2, better", clientId: uuidv7() },
      pendingReply(),
    );
    if (edited.kind !== "branched") throw new Error(`not edited: ${edited.kind}`);
    await repositories.chats.updateMessage(userId, chatId, edited.reply.id, {
      content: "a2 to the better q2",
      status: "complete",
    });
    expect((await repositories.chats.showVersion(userId, chatId, initial[1].id)).kind).toBe("shown");
    return chatId;
  }

  /** A chat's tree by content: each message with its parent's content, and the shown branch. */
  async function treeOf(userId: string, chatId: string) {
    const tree = (await repositories.chats.messageTree(userId, chatId))!;
    const contentOf = new Map(tree.messages.map((message) => [message.id, message.content]));
    return {
      messages: tree.messages.map((message) => [message.content, contentOf.get(message.parent_id!) ?? null]),
      activeLeaf: contentOf.get(tree.activeLeafId!),
      visible: (await repositories.chats.visibleBranchMessages(userId, chatId)).map((m) => m.content),
    };
  }

  it("round-trips a branched chat: the whole tree, and the branch that was shown", async () => {
    const owner = await newUser();
    const chatId = await branchedChat(owner);
    const original = await treeOf(owner, chatId);
    expect(original).toEqual({
      messages: [
        ["q1", null],
        ["q2", "q1"],
        ["q3", "q2"],
        ["q4", "q3"],
        ["q2, better", "q1"],
        ["a2 to the better q2", "q2, better"],
      ],
      activeLeaf: "q4",
      visible: ["q1", "q2", "q3", "q4"],
    });
    const file = await writeChunks(fullExport(repositories, owner), path.join(dir, "branched.json"));
    const exported = JSON.parse(await readFile(file, "utf8"));
    expect(exported.chats[0].activeLeafId).toBe(await leafId(owner, chatId));
    expect(exported.chats[0].messages.map((m: { parentId: string | null }) => m.parentId === null)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);

    const target = await newUser();
    expect(await importFile(target, file)).toMatchObject({ status: "done", imported_chats: 1 });
    const { chats } = await repositories.chats.listChats(target, { limit: 10 });
    expect(await treeOf(target, chats[0].id)).toEqual(original);

    // The one-chat Markdown is what the person sees: the shown branch, no other version.
    let markdown = "";
    for await (const chunk of chatMarkdown(repositories, target, chats[0])) markdown += chunk;
    expect(markdown).toContain("q4");
    expect(markdown).not.toContain("better");
  });

  async function leafId(userId: string, chatId: string) {
    return (await repositories.chats.messageTree(userId, chatId))!.activeLeafId;
  }

  it("imports a file without parents as one branch, and puts a parent written after its child first", async () => {
    const at = (minute: number) => `2026-01-01T00:0${minute}:00Z`;
    const message = (id: string, minute: number, parentId?: string | null) => ({
      id,
      role: "user",
      content: id,
      createdAt: at(minute),
      ...(parentId === undefined ? {} : { parentId }),
    });
    const file = path.join(dir, "trees.json");
    await writeFile(
      file,
      JSON.stringify({
        format: "parley.chats",
        version: 1,
        chats: [
          // As files were written before branches: no parentId, no activeLeafId.
          {
            id: "line",
            title: "Line",
            createdAt: at(0),
            messages: [1, 2, 3, 4].map((n) => message(`l${n}`, n)),
          },
          // A child before its parent, and a chosen leaf that is not the last message.
          {
            id: "tree",
            title: "Tree",
            createdAt: at(0),
            activeLeafId: "t2",
            messages: [
              message("t3", 3, "t2b"),
              message("t1", 1, null),
              message("t2", 2),
              message("t2b", 4, "t1"),
            ],
          },
        ],
      }),
    );
    const target = await newUser();
    expect(await importFile(target, file)).toMatchObject({ status: "done", imported_chats: 2 });
    const { chats } = await repositories.chats.listChats(target, { limit: 10 });
    const byTitle = Object.fromEntries(chats.map((chat) => [chat.title, chat.id]));
    expect(await treeOf(target, byTitle.Line)).toEqual({
      messages: [
        ["l1", null],
        ["l2", "l1"],
        ["l3", "l2"],
        ["l4", "l3"],
      ],
      activeLeaf: "l4",
      visible: ["l1", "l2", "l3", "l4"],
    });
    expect(await treeOf(target, byTitle.Tree)).toEqual({
      messages: [
        ["t1", null],
        ["t2", "t1"],
        ["t3", "t2b"],
        ["t2b", "t1"],
      ],
      activeLeaf: "t2",
      visible: ["t1", "t2"],
    });
  });

  it("imports the same file twice without adding anything, and skips the importer's own chats", async () => {
    const file = sourceExport;
    const own = await importFile(source, file);
    expect(own).toMatchObject({ status: "done", imported_chats: 0, skipped_chats: 2 });

    const target = await newUser();
    await importFile(target, file);
    const before = await everything(target);
    const { list: listBefore } = await repositories.chats.versions(target);
    const again = await importFile(target, file);
    expect(again).toMatchObject({ status: "done", imported_chats: 0, skipped_chats: 2 });
    expect(await everything(target)).toEqual(before);
    expect((await repositories.chats.versions(target)).list).toBe(listBefore);
  });

  it("exports one chat as a document the import takes", async () => {
    const { chats } = await repositories.chats.listChats(source, { limit: 10 });
    const lyon = chats.find((chat) => chat.title === "Trip to Lyon")!;
    const file = await writeChunks(chatExport(repositories, source, lyon), path.join(dir, "chat.json"));
    const target = await newUser();
    expect(await importFile(target, file)).toMatchObject({ imported_chats: 1 });
    expect((await everything(target)).map((chat) => chat.title)).toEqual(["Trip to Lyon"]);
  });

  it("imports ChatGPT's conversations.json, once, and tells other tabs", async () => {
    const target = await newUser();
    const { list: before } = await repositories.chats.versions(target);
    const job = await importFile(target, "e2e/fixtures/chatgpt-branches.json");
    expect(job).toMatchObject({ status: "done", source: "chatgpt", total_chats: 2, imported_chats: 2 });
    expect((await repositories.chats.versions(target)).list).toBeGreaterThan(before);
    const chats = await everything(target);
    expect(chats.map((chat) => chat.title)).toEqual(["Greetings", "Trip to Lyon"]);
    expect(chats[1].messages.map((message) => message.content)).toEqual([
      "How long is the train from Paris to Lyon?",
      "About **two hours** by TGV.",
      "And the price?",
      "Usually between 30 and 90 euros.",
    ]);
    expect(await importFile(target, "e2e/fixtures/chatgpt-branches.json")).toMatchObject({
      imported_chats: 0,
      skipped_chats: 2,
    });
    expect(await everything(target)).toEqual(chats);
  });

  it("refuses a truncated file and leaves nothing behind", async () => {
    const content = await readFile(sourceExport, "utf8");
    const cut = path.join(dir, "cut.json");
    // Cut inside the second chat's messages: the first chat is whole in what is left.
    await writeFile(cut, content.slice(0, Math.floor(content.length * 0.8)));
    const target = await newUser();
    const work = path.join(dir, "chats.ndjson");
    const message = await refusalOf(prepareImport(cut, work));
    expect(message).toMatch(
      /^Not JSON: the file ends unexpectedly at byte [\d,]+, in the middle of a value\./,
    );
    expect(await everything(target)).toEqual([]);
    expect(await repositories.transfers.listImports(target, 5)).toEqual([]);
  });

  it.each([
    ["", "The file is empty."],
    ["hello", 'Not JSON: the file starts with "h" where a JSON list or object should begin.'],
    ['[{"title": "a", "mapping": {}} x]', 'Not JSON: unexpected "x" at byte 31.'],
    ["[]", "The file holds no chats."],
    ['[{"title": "a"}]', "conversations.json: item 1 has no mapping."],
    ['{"chats": []}', "Not a file Parley can import"],
    ['{"format": "parley.chats", "version": 9, "chats": []}', "this file is version 9, from a newer Parley"],
    [
      '{"format": "parley.chats", "version": 1, "chats": [{"id": "c", "title": "t", "createdAt": "yesterday", "messages": []}]}',
      'Parley export: chat 1: field "createdAt": is not a date and time (ISO 8601).',
    ],
    [
      '{"format": "parley.chats", "version": 1, "chats": [{"id": "c", "title": "t\\u0000", "createdAt": "2026-01-01T00:00:00Z", "messages": []}]}',
      'Parley export: chat 1: field "title": Remove the NUL character',
    ],
    [
      parleyChat({ messages: [{ ...oneMessage, parentId: "elsewhere" }] }),
      'Parley export: chat 1: message "m1" has parentId "elsewhere", which is not a message of this chat.',
    ],
    [
      parleyChat({
        messages: [
          { ...oneMessage, parentId: "m2" },
          { ...oneMessage, id: "m2", parentId: "m1" },
        ],
      }),
      'Parley export: chat 1: the parents of message "m1" loop back to it.',
    ],
    [
      parleyChat({ activeLeafId: "m9", messages: [oneMessage] }),
      'Parley export: chat 1: activeLeafId "m9" is not a message of this chat.',
    ],
  ])("refuses %j with a clear message", async (content, message) => {
    const file = path.join(dir, "bad.json");
    await writeFile(file, content);
    expect(await refusalOf(prepareImport(file, path.join(dir, "chats.ndjson")))).toContain(message);
  });
});
