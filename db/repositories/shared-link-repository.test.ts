import { createHash, randomBytes } from "node:crypto";
import { cacheKeys } from "#db/cache/keys";
import type { HotStore } from "#db/hot-store/hot-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { startPrivateRedis, type PrivateRedis } from "#db/hot-store/testing/private-redis";
import { uuidv7 } from "#db/ids";
import type { SharedLinkRow } from "#db/schema";
import { DATABASE_KINDS, type TestDatabase } from "#db/testing/test-database";
import {
  openTestRepositories,
  pendingReply,
  userMessage,
  type TestRepositories,
} from "#db/testing/test-repositories";
import { AccountRepository } from "./account-repository";
import { createSession } from "./sessions";
import { createGuestUser } from "./users";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
const newHash = () => hashOf(randomBytes(24).toString("base64url"));
/** What a page shows of a link: its title and its messages' texts. */
const present = (row: SharedLinkRow) => ({ title: row.title, texts: row.messages.map((m) => m.content) });

describe.each(DATABASE_KINDS)("SharedLinkRepository on %s", (kind) => {
  let repositories: TestRepositories;
  let database: TestDatabase;
  beforeAll(async () => {
    repositories = await openTestRepositories(kind);
    ({ database } = repositories);
  });
  afterAll(() => repositories?.close());

  async function seedChat(texts: string[] = ["Hello", "Hi there"]) {
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    await repositories.chats.createChat(
      { id: chatId, userId, title: "Shared chat", titleSource: "derived" },
      texts.map((text) => userMessage(text)),
    );
    return { userId, chatId };
  }

  async function share(userId: string, chatId: string, tokenHash = newHash()) {
    const outcome = await repositories.sharedLinks.create({
      id: uuidv7(),
      userId,
      chatId,
      tokenHash,
      maxMessages: 1000,
      maxLinksPerUser: 5,
    });
    if (outcome.kind !== "created") throw new Error(`not shared: ${outcome.kind}`);
    return { link: outcome.link, tokenHash };
  }

  it("creates a link that opens by its token's hash, then from the hot store without Postgres", async () => {
    const { userId, chatId } = await seedChat();
    const { tokenHash, link } = await share(userId, chatId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).toEqual({
      title: "Shared chat",
      texts: ["Hello", "Hi there"],
    });
    const queries = database.stats.queries;
    expect(await repositories.sharedLinks.open(tokenHash, present)).toEqual({
      title: "Shared chat",
      texts: ["Hello", "Hi there"],
    });
    expect(database.stats.queries).toBe(queries);
    expect(await repositories.store.get(cacheKeys.sharedLink(tokenHash))).not.toBeNull();
    expect((await repositories.sharedLinks.list(userId, 10)).map((row) => row.id)).toEqual([link.id]);
    expect(await repositories.sharedLinks.open(newHash(), present)).toBeNull();
  });

  it("is a snapshot: later messages, edits and a reply still being written are not in it", async () => {
    const { userId, chatId } = await seedChat(["First"]);
    await repositories.chats.appendMessages(userId, chatId, [{ ...pendingReply(), chatId }]);
    const { tokenHash } = await share(userId, chatId);
    await repositories.chats.appendMessages(userId, chatId, [{ ...userMessage("Later"), chatId }]);
    expect((await repositories.sharedLinks.open(tokenHash, present))?.texts).toEqual(["First"]);
    // Read from Postgres again (not the cache): still the copy.
    await repositories.store.del([cacheKeys.sharedLink(tokenHash)]);
    await repositories.chats.renameChat(userId, chatId, "Renamed later", "user");
    expect(await repositories.sharedLinks.open(tokenHash, present)).toEqual({
      title: "Shared chat",
      texts: ["First"],
    });
  });

  it("revokes at once, even when the page was cached, and only for its owner", async () => {
    const { userId, chatId } = await seedChat();
    const stranger = (await createGuestUser(database.db, uuidv7())).id;
    const { tokenHash, link } = await share(userId, chatId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();

    expect(await repositories.sharedLinks.revoke(stranger, link.id)).toBe(false);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect(await repositories.sharedLinks.list(stranger, 10)).toEqual([]);

    expect(await repositories.sharedLinks.revoke(userId, link.id)).toBe(true);
    expect(await repositories.sharedLinks.open(tokenHash, present)).toBeNull();
    expect(await repositories.sharedLinks.revoke(userId, link.id)).toBe(false);
    expect(await repositories.sharedLinks.list(userId, 10)).toEqual([]);
  });

  it("never caches a page again that was read just before its revocation", async () => {
    const { userId, chatId } = await seedChat();
    const { tokenHash, link } = await share(userId, chatId);
    // A reader loads the page from Postgres; the owner revokes before it stores what it read.
    const stale = await repositories.sharedLinkPages.readThrough(tokenHash, async () => {
      const page = { title: "read before the revocation", texts: [] };
      await repositories.sharedLinks.revoke(userId, link.id);
      return page;
    });
    expect(stale?.title).toBe("read before the revocation");
    expect(await repositories.sharedLinks.open(tokenHash, present)).toBeNull();
  });

  it("shares only the owner's chat, and at most the allowed number of links", async () => {
    const { userId, chatId } = await seedChat();
    const stranger = (await createGuestUser(database.db, uuidv7())).id;
    const attempt = (by: string, max = 5) =>
      repositories.sharedLinks.create({
        id: uuidv7(),
        userId: by,
        chatId,
        tokenHash: newHash(),
        maxMessages: 1000,
        maxLinksPerUser: max,
      });
    expect((await attempt(stranger)).kind).toBe("not-found");
    expect((await attempt(userId, 1)).kind).toBe("created");
    expect(await attempt(userId, 1)).toEqual({ kind: "full", max: 1 });
  });

  it("moves the owner's list version when a link is made or revoked (other tabs see it)", async () => {
    const { userId, chatId } = await seedChat();
    const before = (await repositories.chats.versions(userId)).list;
    const { link } = await share(userId, chatId);
    const shared = (await repositories.chats.versions(userId)).list;
    expect(shared).toBeGreaterThan(before);
    await repositories.sharedLinks.revoke(userId, link.id);
    expect((await repositories.chats.versions(userId)).list).toBeGreaterThan(shared);
  });

  it("goes with its chat, cached page included", async () => {
    const { userId, chatId } = await seedChat();
    const { tokenHash } = await share(userId, chatId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect(await repositories.chats.deleteChat(userId, chatId)).toBe(true);
    expect(await repositories.sharedLinks.open(tokenHash, present)).toBeNull();
    expect(await repositories.sharedLinks.list(userId, 10)).toEqual([]);
  });

  it('goes with "delete all chats", cached page included', async () => {
    const { userId, chatId } = await seedChat();
    const { tokenHash } = await share(userId, chatId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect((await repositories.placement.deleteAll(userId)).count).toBe(1);
    expect(await repositories.sharedLinks.open(tokenHash, present)).toBeNull();
    expect(await repositories.sharedLinks.list(userId, 10)).toEqual([]);
  });

  const accountRepository = () =>
    new AccountRepository(
      database.db,
      repositories.store,
      repositories.cache,
      repositories.sessions,
      { chatPageSize: 30, messagePageSize: 50, replyKeys: () => [], replyKeySeconds: 60 },
      repositories.sharedLinkPages,
    );

  it("goes with its owner's account, cached page included", async () => {
    const { userId, chatId } = await seedChat();
    const { tokenHash } = await share(userId, chatId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect((await accountRepository().deleteAccount(userId)).deleted).toBe(true);
    expect(await repositories.sharedLinks.open(tokenHash, present)).toBeNull();
  });

  it("follows a guest's chats into the account the guest signs in to", async () => {
    const { userId: guestId, chatId } = await seedChat();
    const { tokenHash, link } = await share(guestId, chatId);
    const sessionId = randomBytes(16).toString("hex");
    await createSession(database.db, {
      id: sessionId,
      userId: guestId,
      expiresAt: new Date(Date.now() + 60_000),
    });
    const accountId = uuidv7();
    const accounts = accountRepository();
    await accounts.create({
      id: accountId,
      email: `${accountId}@example.com`,
      passwordHash: "not checked here",
    });
    const outcome = await accounts.signIn({
      accountId,
      fromSessionId: sessionId,
      session: { id: randomBytes(16).toString("hex"), userAgent: null },
    });
    expect(outcome.mergedGuestId).toBe(guestId);
    expect(await repositories.sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect((await repositories.sharedLinks.list(accountId, 10)).map((row) => row.id)).toEqual([link.id]);
    expect(await repositories.sharedLinks.revoke(accountId, link.id)).toBe(true);
  });
});

describe("SharedLinkRepository when Redis is frozen during a revocation", () => {
  let redis: PrivateRedis;
  let store: HotStore;
  let repositories: TestRepositories;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = createRedisHotStore({ url: redis.url, logger: () => {} });
    repositories = await openTestRepositories("postgres", { store, ttlSeconds: 300 });
    await eventually(() => store.ping(), { what: "private redis ready" });
  });
  afterAll(async () => {
    await repositories?.close();
    await redis?.stop();
  });

  it("reads around the store until the page is buried, then buries it when Redis answers", async () => {
    const { database, chats, sharedLinks, sharedLinkPages } = repositories;
    const userId = (await createGuestUser(database.db, uuidv7())).id;
    const chatId = uuidv7();
    await chats.createChat({ id: chatId, userId, title: "Frozen", titleSource: "derived" }, [
      userMessage("Hello"),
    ]);
    const tokenHash = newHash();
    const created = await sharedLinks.create({
      id: uuidv7(),
      userId,
      chatId,
      tokenHash,
      maxMessages: 1000,
      maxLinksPerUser: 5,
    });
    if (created.kind !== "created") throw new Error(created.kind);
    expect(await sharedLinks.open(tokenHash, present)).not.toBeNull();
    expect(await store.get(cacheKeys.sharedLink(tokenHash))).not.toBeNull();

    // SIGSTOP keeps Redis's memory: when it resumes it still holds the page.
    redis.pause();
    expect(await sharedLinks.revoke(userId, created.link.id)).toBe(true);
    expect(sharedLinkPages.pendingCount).toBe(1);
    expect(await sharedLinks.open(tokenHash, present)).toBeNull();
    redis.resume();
    await eventually(async () => (await store.ping()) && sharedLinkPages.pendingCount === 0, {
      what: "tombstone written",
      timeoutMs: 10_000,
    });
    expect(await store.get(cacheKeys.sharedLink(tokenHash))).toBe("gone");
    expect(await sharedLinks.open(tokenHash, present)).toBeNull();
  });
});
