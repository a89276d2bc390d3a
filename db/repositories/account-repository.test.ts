import { sql } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import type { HotStore } from "#db/hot-store/hot-store";
import { createMemoryHotStore } from "#db/hot-store/memory-store";
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { AccountRepository } from "./account-repository";
import type { ChatRepository } from "./chat-repository";
import { createRepositories, type Repositories } from "./create-repositories";
import { sessionCacheKey, type SessionRepository } from "./session-repository";

const PAGE = { chatPageSize: 30, messagePageSize: 50 };
const HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

describe.each(DATABASE_KINDS)("accounts on %s", (kind) => {
  let database: TestDatabase;
  let store: HotStore;
  let repositories: Repositories;
  let chats: ChatRepository;
  let sessions: SessionRepository;
  let accounts: AccountRepository;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    store =
      kind === "postgres"
        ? createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", logger: () => {} })
        : createMemoryHotStore();
    await eventually(() => store.ping(), { what: "hot store ready" });
    repositories = createRepositories({ db: database.db, store, ttlSeconds: 60 });
    chats = repositories.chats;
    sessions = repositories.sessions;
    accounts = new AccountRepository(database.db, store, repositories.cache, sessions, {
      ...PAGE,
      replyKeys: (id) => [`reply:${id}`],
      replyKeySeconds: 600,
    });
  });
  afterAll(async () => {
    repositories?.dispose();
    await store?.close();
    await database?.drop();
  });

  const newSessionId = () => `session-${uuidv7()}`;
  const uniqueEmail = (name: string) => `${name}-${uuidv7()}@example.com`;

  async function guestWithChats(count: number) {
    const userId = uuidv7();
    const sessionId = newSessionId();
    await sessions.createGuest(userId, sessionId, sessions.newExpiry());
    const chatIds: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const chatId = uuidv7();
      await chats.createChat(
        { id: chatId, userId, title: `Guest chat ${index + 1}`, titleSource: "derived" },
        [
          {
            id: uuidv7(),
            chatId: "",
            role: "user",
            content: `hello ${index}`,
            status: "complete",
            clientId: uuidv7(),
          },
        ],
      );
      chatIds.push(chatId);
    }
    return { userId, sessionId, chatIds };
  }

  async function account(email = uniqueEmail("account")) {
    const sessionId = newSessionId();
    const outcome = await accounts.signUp({
      newUserId: uuidv7(),
      email,
      passwordHash: HASH,
      fromSessionId: null,
      session: { id: sessionId, userAgent: "test" },
    });
    if (outcome.kind !== "created") throw new Error("account not created");
    return { userId: outcome.userId, sessionId, email };
  }

  const sessionRow = (id: string) =>
    database.db.selectFrom("sessions").select(["id", "user_id"]).where("id", "=", id).executeTakeFirst();
  const userRow = (id: string) =>
    database.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  const chatOwners = async (ids: string[]) =>
    (await database.db.selectFrom("chats").select(["id", "user_id"]).where("id", "in", ids).execute()).map(
      (row) => row.user_id,
    );

  it("sign-up from a guest session keeps the guest's id and chats, and gives the session a new id", async () => {
    const guest = await guestWithChats(2);
    const listBefore = (await chats.versions(guest.userId)).list;
    const newSession = newSessionId();
    const outcome = await accounts.signUp({
      newUserId: uuidv7(),
      email: uniqueEmail("convert"),
      passwordHash: HASH,
      fromSessionId: guest.sessionId,
      session: { id: newSession, userAgent: "Firefox" },
    });
    expect(outcome).toEqual({ kind: "created", userId: guest.userId, fromGuest: true });
    expect(await userRow(guest.userId)).toMatchObject({ is_guest: false, password_hash: HASH });
    expect(await chatOwners(guest.chatIds)).toEqual([guest.userId, guest.userId]);
    expect(await sessionRow(guest.sessionId)).toBeUndefined();
    expect(await sessionRow(newSession)).toEqual({ id: newSession, user_id: guest.userId });
    // The sidebar (cached under the list version) learns who is signed in.
    expect((await chats.versions(guest.userId)).list).toBeGreaterThan(listBefore);
  });

  it("an email is taken whatever its case, and a refused sign-up changes nothing", async () => {
    const taken = await account(uniqueEmail("Case"));
    const guest = await guestWithChats(1);
    const outcome = await accounts.signUp({
      newUserId: uuidv7(),
      email: taken.email.toUpperCase(),
      passwordHash: HASH,
      fromSessionId: guest.sessionId,
      session: { id: newSessionId(), userAgent: null },
    });
    expect(outcome).toEqual({ kind: "taken" });
    expect(await userRow(guest.userId)).toMatchObject({ is_guest: true, email: null });
    expect(await sessionRow(guest.sessionId)).toBeDefined();
    expect(await accounts.findByEmail(taken.email.toUpperCase())).toMatchObject({ id: taken.userId });
  });

  it("the database itself refuses a second account for one email in another case", async () => {
    const email = uniqueEmail("direct");
    await database.db
      .insertInto("users")
      .values({ id: uuidv7(), email, password_hash: HASH, is_guest: false })
      .execute();
    await expect(
      database.db
        .insertInto("users")
        .values({ id: uuidv7(), email: email.toUpperCase(), password_hash: HASH, is_guest: false })
        .execute(),
    ).rejects.toThrow(/users_email_lower_key/);
  });

  it("sign-in from a guest session moves the guest's chats and projects into the account, deletes the guest, and bumps both users' versions", async () => {
    const owner = await account();
    await chats.createChat(
      { id: uuidv7(), userId: owner.userId, title: "Owner's chat", titleSource: "derived" },
      [],
    );
    const guest = await guestWithChats(2);
    await repositories.projects.create({
      id: uuidv7(),
      userId: guest.userId,
      name: "Guest project",
      icon: "📁",
      instructions: "",
    });
    // Both users' versions are cached before the move, as other tabs would have them.
    const ownerBefore = await chats.versions(owner.userId);
    const guestBefore = await chats.versions(guest.userId);
    const chatBefore = await chats.versions(guest.userId, guest.chatIds[0]);

    const newSession = newSessionId();
    const outcome = await accounts.signIn({
      accountId: owner.userId,
      fromSessionId: guest.sessionId,
      session: { id: newSession, userAgent: null },
    });

    expect(outcome).toEqual({ mergedGuestId: guest.userId, movedChats: 2, movedProjects: 1 });
    expect(await chatOwners(guest.chatIds)).toEqual([owner.userId, owner.userId]);
    expect(await userRow(guest.userId)).toBeUndefined();
    expect(await sessionRow(guest.sessionId)).toBeUndefined();
    expect(await sessionRow(newSession)).toEqual({ id: newSession, user_id: owner.userId });
    const projects = await database.db
      .selectFrom("projects")
      .select("user_id")
      .where("name", "=", "Guest project")
      .execute();
    expect(projects.map((row) => row.user_id)).toEqual([owner.userId]);

    // Published to the hot store: the account's other tabs see the change at their next sync check.
    // (The list version alone: read with a chat's key that was never cached, it would come from Postgres.)
    expect((await chats.versions(owner.userId)).list).toBeGreaterThan(ownerBefore.list);
    expect((await chats.versions(owner.userId, guest.chatIds[0])).chat).toBeGreaterThan(
      chatBefore.chat ?? -1,
    );
    expect(Number(await store.get(cacheKeys.listVersion(guest.userId)))).toBeGreaterThan(guestBefore.list);
    const list = await chats.listChats(owner.userId, { limit: 30 });
    expect(list.chats.map((chat) => chat.title).sort()).toEqual([
      "Guest chat 1",
      "Guest chat 2",
      "Owner's chat",
    ]);
    expect(await chats.getChat(guest.userId, guest.chatIds[0])).toBeUndefined();
  });

  it("sign-in from another account's session moves nothing and ends that session", async () => {
    const target = await account();
    const other = await account();
    const chatId = uuidv7();
    await chats.createChat(
      { id: chatId, userId: other.userId, title: "Other's chat", titleSource: "derived" },
      [],
    );
    const outcome = await accounts.signIn({
      accountId: target.userId,
      fromSessionId: other.sessionId,
      session: { id: newSessionId(), userAgent: null },
    });
    expect(outcome).toEqual({ mergedGuestId: null, movedChats: 0, movedProjects: 0 });
    expect(await chatOwners([chatId])).toEqual([other.userId]);
    expect(await userRow(other.userId)).toBeDefined();
    expect(await sessionRow(other.sessionId)).toBeUndefined();
  });

  it("an expired guest session moves nothing", async () => {
    const target = await account();
    const guest = await guestWithChats(1);
    await sql`update sessions set expires_at = now() - interval '1 second' where id = ${guest.sessionId}`.execute(
      database.db,
    );
    const outcome = await accounts.signIn({
      accountId: target.userId,
      fromSessionId: guest.sessionId,
      session: { id: newSessionId(), userAgent: null },
    });
    expect(outcome.movedChats).toBe(0);
    expect(await chatOwners(guest.chatIds)).toEqual([guest.userId]);
  });

  it("a password change ends every other session of the account, and no one else's", async () => {
    const owner = await account();
    const second = newSessionId();
    await accounts.signIn({
      accountId: owner.userId,
      fromSessionId: null,
      session: { id: second, userAgent: null },
    });
    const stranger = await account();
    expect(await sessions.userIdForSession(second)).toBe(owner.userId);

    const ended = await accounts.changePassword(owner.userId, HASH.replace("aGFz", "bmV3"), owner.sessionId);
    expect(ended).toEqual([second]);
    expect(await sessionRow(second)).toBeUndefined();
    expect(await sessionRow(owner.sessionId)).toBeDefined();
    expect(await sessionRow(stranger.sessionId)).toBeDefined();
    expect(await store.get(sessionCacheKey(second))).toBeNull();
    expect(await accounts.passwordHash(owner.userId)).toContain("bmV3");
  });

  it("deleting an account removes every row of the user and every cache entry it had, at every version", async () => {
    const owner = await account();
    const stranger = await account();
    const chatId = uuidv7();
    await chats.createChat(
      { id: chatId, userId: owner.userId, title: "To be deleted", titleSource: "derived" },
      [],
    );
    // Pages read at several versions leave entries under each of them.
    const cached: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      await chats.appendMessages(owner.userId, chatId, [
        {
          id: uuidv7(),
          chatId,
          role: "user",
          content: `round ${round}`,
          status: "complete",
          clientId: uuidv7(),
        },
      ]);
      const versions = await chats.versions(owner.userId, chatId);
      await chats.listChats(owner.userId, { limit: PAGE.chatPageSize });
      await chats.chatWindow(owner.userId, chatId, PAGE.messagePageSize);
      cached.push(
        cacheKeys.firstChatPage(owner.userId, versions.list, PAGE.chatPageSize),
        cacheKeys.chatHeader(owner.userId, chatId, versions.chat ?? -1),
        cacheKeys.newestMessages(owner.userId, chatId, versions.chat ?? -1, PAGE.messagePageSize),
      );
    }
    await sessions.userIdForSession(owner.sessionId);
    cached.push(cacheKeys.listVersion(owner.userId), cacheKeys.chatVersion(owner.userId, chatId));
    cached.push(sessionCacheKey(owner.sessionId));
    expect((await store.mget(cached)).every((value) => value !== null)).toBe(true);
    const strangerChat = uuidv7();
    await chats.createChat(
      { id: strangerChat, userId: stranger.userId, title: "Stays", titleSource: "derived" },
      [],
    );

    expect(await accounts.deleteAccount(owner.userId)).toEqual({ deleted: true, cacheCleared: true });

    expect(await store.mget(cached)).toEqual(cached.map(() => null));
    for (const table of ["chats", "projects", "sessions"] as const) {
      const rows = await database.db
        .selectFrom(table)
        .select("id")
        .where("user_id", "=", owner.userId)
        .execute();
      expect(rows, table).toEqual([]);
    }
    const messages = await database.db
      .selectFrom("messages")
      .select("id")
      .where("chat_id", "=", chatId)
      .execute();
    expect(messages).toEqual([]);
    expect(await userRow(owner.userId)).toBeUndefined();
    expect(await chatOwners([strangerChat])).toEqual([stranger.userId]);
    expect(await accounts.deleteAccount(owner.userId)).toEqual({ deleted: false, cacheCleared: true });
  });
});
