import { startFakeOpenAi, type FakeOpenAi } from "#e2e/fake-llm/fake-openai-server";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import type { HotStore } from "#db/hot-store/hot-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { uuidv7 } from "#db/ids";
import type { ChatRepository } from "#db/repositories/chat-repository";
import { createRepositories, type Repositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { createOpenAiProvider } from "#app/services/llm/openai-provider.server";
import { flagStop, readProgress } from "./reply-progress.server";
import { runReply } from "./reply-runner.server";

describe("runReply against a fake OpenAI server, real Postgres and Redis", () => {
  let database: TestDatabase;
  let store: HotStore;
  let repositories: Repositories;
  let chats: ChatRepository;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    store = createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
    repositories = createRepositories({ db: database.db, store, ttlSeconds: 60 });
    chats = repositories.chats;
    fake = await startFakeOpenAi();
    await eventually(() => store.ping(), { what: "redis" });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    repositories?.dispose();
    await fake?.close();
    await store?.close();
    await database?.drop();
  });

  async function pendingReply() {
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    const replyId = uuidv7();
    await chats.createChat({ id: chatId, userId, title: "t", titleSource: "derived" }, [
      { id: uuidv7(), chatId: "", role: "user", content: "question", status: "complete", clientId: uuidv7() },
      { id: replyId, chatId: "", role: "assistant", content: "", status: "pending", clientId: null },
    ]);
    return {
      userId,
      chatId,
      messageId: replyId,
      model: "fake-model-a",
      turns: [{ role: "user" as const, content: "question" }],
    };
  }

  function deps(overrides: { idleTimeoutMs?: number } = {}) {
    const provider = createOpenAiProvider({
      baseUrl: fake.url,
      defaultModel: "fake-model-a",
      firstByteTimeoutMs: overrides.idleTimeoutMs ?? 2_000,
      idleTimeoutMs: overrides.idleTimeoutMs ?? 2_000,
    });
    return { chats, store, provider, flushEveryMs: 50, heartbeatEveryMs: 100 };
  }

  it("writes the growing text to the hot store, then the final text to Postgres", async () => {
    fake.enqueue({ type: "reply", chunks: ["One ", "two ", "three ", "four"], delayMs: 150 });
    const job = await pendingReply();
    const run = runReply(deps(), job);
    const seen = new Set<string>();
    let finished = false;
    void run.done.then(() => (finished = true));
    while (!finished) {
      const progress = await readProgress(store, job.messageId);
      if (progress?.text) seen.add(progress.text);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect((await run.done).status).toBe("complete");
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const final = await chats.getMessage(job.userId, job.messageId);
    expect(final).toMatchObject({ status: "complete", content: "One two three four", model: "fake-model-a" });
    expect(await readProgress(store, job.messageId)).toBeNull();
    expect(fake.requests[0].body).toMatchObject({ model: "fake-model-a", stream: true, messages: job.turns });
  });

  it("stops when another instance raises the stop flag, keeping the partial text", async () => {
    fake.enqueue({ type: "stall-after", chunks: ["Partial ", "answer"] });
    const job = await pendingReply();
    const run = runReply(deps({ idleTimeoutMs: 20_000 }), job);
    await eventually(async () => (await readProgress(store, job.messageId))?.text === "Partial answer", {
      what: "partial text",
    });
    await flagStop(store, job.messageId);
    expect(await run.done).toMatchObject({ status: "stopped", text: "Partial answer" });
    expect(await chats.getMessage(job.userId, job.messageId)).toMatchObject({
      status: "stopped",
      content: "Partial answer",
    });
  });

  it("stops when the reply was marked stopped in Postgres by an instance that could not reach the hot store", async () => {
    fake.enqueue({ type: "stall-after", chunks: ["Some ", "text"] });
    const job = await pendingReply();
    const run = runReply(deps({ idleTimeoutMs: 20_000 }), job);
    await eventually(async () => (await readProgress(store, job.messageId))?.text === "Some text", {
      what: "partial text",
    });
    await chats.updateMessage(
      job.userId,
      job.chatId,
      job.messageId,
      { status: "stopped", content: "Some" },
      { onlyIfStatus: "pending" },
    );
    expect((await run.done).status).toBe("stopped");
    // The stop made elsewhere wins: the generator does not overwrite it.
    expect(await chats.getMessage(job.userId, job.messageId)).toMatchObject({
      status: "stopped",
      content: "Some",
    });
  });

  it("ends as interrupted, its text kept, when its process must exit", async () => {
    fake.enqueue({ type: "stall-after", chunks: ["Cut ", "short"] });
    const job = await pendingReply();
    const run = runReply(deps({ idleTimeoutMs: 20_000 }), job);
    await eventually(async () => (await readProgress(store, job.messageId))?.text === "Cut short", {
      what: "partial text",
    });
    run.interrupt();
    expect(await run.done).toMatchObject({ status: "interrupted", text: "Cut short" });
    expect(await chats.getMessage(job.userId, job.messageId)).toMatchObject({
      status: "interrupted",
      content: "Cut short",
      error: "The reply was interrupted.",
    });
    expect(await readProgress(store, job.messageId)).toBeNull();
  });

  // The reason is shown to the person chatting: short, and naming no URL or internal detail.
  it.each([
    ["a 500", { type: "status", status: 500 } as const, "The model provider answered 500: Fake failure"],
    ["a time-out", { type: "hang" } as const, "The model provider did not answer in time."],
    [
      "a malformed stream",
      { type: "malformed" } as const,
      "The model provider sent a reply Parley could not read.",
    ],
  ])("ends in error with a short reason after %s", async (_name, behaviour, reason) => {
    fake.enqueue(behaviour);
    const job = await pendingReply();
    const outcome = await runReply(deps({ idleTimeoutMs: 300 }), job).done;
    expect(outcome.status).toBe("error");
    const stored = await chats.getMessage(job.userId, job.messageId);
    expect(stored).toMatchObject({ status: "error", error: reason });
  });
});
