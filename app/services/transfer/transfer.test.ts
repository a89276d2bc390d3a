import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "#db/repositories/users";
import { DATABASE_KINDS } from "#db/testing/test-database";
import { openTestRepositories, userMessage, type TestRepositories } from "#db/testing/test-repositories";
import { chatExport, fullExport } from "./export.server";
import { ImportFileError } from "./import-error.server";
import { runImport } from "./import-runner.server";
import { prepareImport } from "./prepare-import.server";

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
  ])("refuses %j with a clear message", async (content, message) => {
    const file = path.join(dir, "bad.json");
    await writeFile(file, content);
    expect(await refusalOf(prepareImport(file, path.join(dir, "chats.ndjson")))).toContain(message);
  });
});
