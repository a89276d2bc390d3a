import type { Kysely } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import type { SharedLinkCache } from "#db/cache/shared-link-cache";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { HotStore } from "#db/hot-store/hot-store";
import type { Database } from "#db/schema";
import * as accounts from "./accounts";
import { PINNED_LIST_EXTRA } from "./chat-placement-repository";
import { PROJECTS_LIST_EXTRA } from "./project-repository";
import { sessionCacheKey, type SessionRepository } from "./session-repository";
import { createSession, deleteSession, deleteSessionsOfUser } from "./sessions";
import { listVersionOf, publishUserVersions } from "./user-versions";
import { bumpListVersion } from "./users";

/** The name the account summary is cached under beside the chat list (sign-up bumps the list version). */
const ACCOUNT_LIST_EXTRA = "account";

/** What the app caches per user, so deleting an account can name every key it may have left. */
export interface CachedShapes {
  chatPageSize: number;
  messagePageSize: number;
  /** Keys a reply leaves while it is written (its progress, its stop flag). */
  replyKeys(messageId: string): string[];
  /** How long a reply's keys outlive it. */
  replyKeySeconds: number;
}

export interface NewSession {
  id: string;
  userAgent: string | null;
}

export type SignUpOutcome =
  | {
      kind: "created";
      userId: string;
      /** The guest of the session became the account. */ fromGuest: boolean;
    }
  | { kind: "taken" };

export interface SignInOutcome {
  /** The guest whose chats and projects moved into the account (and who is gone), if any. */
  mergedGuestId: string | null;
  movedChats: number;
  movedProjects: number;
}

/** Past this many keys, older versions' entries are left to expire by TTL (they are unreachable). */
const MAX_KEYS_CLEARED = 200_000;
const DEL_BATCH = 1_000;

/**
 * Accounts and the moves between them, each one transaction that starts from the current
 * session as Postgres has it (never from an id a client sends):
 * - sign-up turns the session's guest into the account (same user, chats stay);
 * - sign-in moves the session's guest's chats and projects into the account and deletes the guest;
 * - both end the old session and start a new one (a new id: no fixation).
 * Ended sessions are refused on every instance through the revocation feed (a trigger records
 * each deleted row), and their cached look-ups are dropped here as well.
 */
export class AccountRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly store: HotStore,
    private readonly cache: VersionedCache,
    private readonly sessions: SessionRepository,
    private readonly shapes: CachedShapes,
    /** Where the pages of the user's shared links are buried when the account goes. */
    private readonly sharedLinkPages?: SharedLinkCache,
  ) {}

  findByEmail(email: string): Promise<accounts.AccountCredentials | undefined> {
    return accounts.findAccountByEmail(this.db, email);
  }

  passwordHash(userId: string): Promise<string | undefined> {
    return accounts.passwordHashOf(this.db, userId);
  }

  /**
   * Who the user is (an account's email, or a guest), cached under the list version: a page
   * reads it in the same round trips as the projects, and another tab sees a guest become an
   * account at its next sync check. A caller that read the list version already passes it.
   */
  async summary(userId: string, listVersion?: number): Promise<accounts.AccountSummary | null> {
    const list = await listVersionOf(this.cache, this.db, userId, listVersion);
    return this.cache.readThrough(
      cacheKeys.listExtra(userId, list, ACCOUNT_LIST_EXTRA),
      async () => (await accounts.accountSummary(this.db, userId)) ?? null,
    );
  }

  /** Creates an account from the command line: no session, no guest. */
  async create(account: { id: string; email: string; passwordHash: string }): Promise<"created" | "taken"> {
    try {
      await accounts.insertAccount(this.db, account);
      return "created";
    } catch (error) {
      if (accounts.isEmailTaken(error)) return "taken";
      throw error;
    }
  }

  /**
   * Signs up from the session `fromSessionId` (null: the visitor has none yet). A guest
   * session's user becomes the account; otherwise a new user `newUserId` is made.
   */
  async signUp(input: {
    newUserId: string;
    email: string;
    passwordHash: string;
    fromSessionId: string | null;
    session: NewSession;
  }): Promise<SignUpOutcome> {
    const { fromSessionId } = input;
    let result: { userId: string; list: number; fromGuest: boolean };
    try {
      result = await this.db.transaction().execute(async (trx) => {
        const visitor = fromSessionId ? await accounts.lockUserOfSession(trx, fromSessionId) : undefined;
        const credentials = { email: input.email, passwordHash: input.passwordHash };
        const converted = visitor?.isGuest
          ? await accounts.convertGuest(trx, visitor.id, credentials)
          : undefined;
        const userId = converted !== undefined && visitor ? visitor.id : input.newUserId;
        const list = converted ?? (await accounts.insertAccount(trx, { id: userId, ...credentials }));
        if (fromSessionId) await deleteSession(trx, fromSessionId);
        await createSession(trx, {
          id: input.session.id,
          userId,
          expiresAt: this.sessions.newExpiry(),
          userAgent: input.session.userAgent,
        });
        return { userId, list, fromGuest: converted !== undefined };
      });
    } catch (error) {
      if (accounts.isEmailTaken(error)) return { kind: "taken" };
      throw error;
    }
    // The sidebars of the guest's other tabs now show who is signed in.
    if (result.fromGuest) await publishUserVersions(this.cache, result.userId, result.list, []);
    if (fromSessionId) await this.sessions.forget([fromSessionId]);
    return { kind: "created", userId: result.userId, fromGuest: result.fromGuest };
  }

  /**
   * Signs in to `accountId` (whose password the caller has checked) from the session
   * `fromSessionId`. When that session is a guest's, the guest's chats and projects move into
   * the account and the guest is deleted, with its sessions, in the same transaction.
   */
  async signIn(input: {
    accountId: string;
    fromSessionId: string | null;
    session: NewSession;
  }): Promise<SignInOutcome> {
    const { accountId, fromSessionId } = input;
    const result = await this.db.transaction().execute(async (trx) => {
      const visitor = fromSessionId ? await accounts.lockUserOfSession(trx, fromSessionId) : undefined;
      let merge: {
        guestId: string;
        guestList: number;
        accountList: number;
        chats: Array<[string, number]>;
        projects: number;
      } | null = null;
      if (visitor?.isGuest && visitor.id !== accountId) {
        const moved = await accounts.moveChatsAndProjects(trx, visitor.id, accountId);
        const accountList = await bumpListVersion(trx, accountId);
        // The guest's sessions (this one included) go with it, through the foreign key.
        await accounts.deleteUser(trx, visitor.id);
        merge = {
          guestId: visitor.id,
          guestList: visitor.listVersion + 1,
          accountList: Number(accountList),
          ...moved,
        };
      } else if (fromSessionId) {
        await deleteSession(trx, fromSessionId);
      }
      await createSession(trx, {
        id: input.session.id,
        userId: accountId,
        expiresAt: this.sessions.newExpiry(),
        userAgent: input.session.userAgent,
      });
      return merge;
    });
    if (fromSessionId) await this.sessions.forget([fromSessionId]);
    if (!result) return { mergedGuestId: null, movedChats: 0, movedProjects: 0 };
    // Both users' lists and every moved chat changed: the account's other tabs pick the chats
    // up at their next sync check, and nothing cached for the guest is reachable any more.
    await Promise.all([
      publishUserVersions(this.cache, accountId, result.accountList, result.chats),
      publishUserVersions(this.cache, result.guestId, result.guestList, result.chats),
    ]);
    return { mergedGuestId: result.guestId, movedChats: result.chats.length, movedProjects: result.projects };
  }

  /** Replaces a hash made with older parameters (same password, no session ends). */
  async rehash(userId: string, passwordHash: string): Promise<void> {
    await accounts.setPasswordHash(this.db, userId, passwordHash);
  }

  /** Sets a new password hash and ends every other session of the account. Resolves the sessions ended. */
  async changePassword(userId: string, passwordHash: string, keepSessionId: string): Promise<string[]> {
    const ended = await this.db.transaction().execute(async (trx) => {
      if (!(await accounts.setPasswordHash(trx, userId, passwordHash))) return [];
      return deleteSessionsOfUser(trx, userId, { except: keepSessionId });
    });
    await this.sessions.forget(ended);
    return ended;
  }

  /**
   * Deletes the user and everything of theirs (chats, messages, projects, sessions) in one
   * transaction, then the hot-store keys they may have left. Resolves false when there was no
   * such user; `cacheCleared` is false when the hot store could not be reached (the entries
   * left are unreachable: no session of the user survives, and they expire by TTL).
   */
  async deleteAccount(userId: string): Promise<{ deleted: boolean; cacheCleared: boolean }> {
    const footprint = await this.db.transaction().execute(async (trx) => {
      const found = await accounts.userFootprint(trx, userId, this.shapes.replyKeySeconds);
      return (await accounts.deleteUser(trx, userId)) ? found : undefined;
    });
    if (!footprint) return { deleted: false, cacheCleared: true };
    await this.sharedLinkPages?.forget(footprint.sharedLinkHashes);
    const keys = this.keysOf(userId, footprint);
    try {
      for (let start = 0; start < keys.length; start += DEL_BATCH * 10) {
        const batches: string[][] = [];
        for (let at = start; at < Math.min(keys.length, start + DEL_BATCH * 10); at += DEL_BATCH)
          batches.push(keys.slice(at, at + DEL_BATCH));
        await Promise.all(batches.map((batch) => this.store.del(batch)));
      }
      return { deleted: true, cacheCleared: true };
    } catch {
      return { deleted: true, cacheCleared: false };
    }
  }

  /**
   * Every key the user's data may be cached under. Data keys carry the version they were read
   * at, and any version up to the current one may still be cached, so all of them are named,
   * newest first, up to a bound.
   */
  private keysOf(userId: string, footprint: accounts.UserFootprint): string[] {
    const { chatPageSize, messagePageSize } = this.shapes;
    const listExtras = [PROJECTS_LIST_EXTRA, ACCOUNT_LIST_EXTRA, PINNED_LIST_EXTRA];
    const keys = [cacheKeys.listVersion(userId), ...footprint.sessionIds.map(sessionCacheKey)];
    for (const replyId of footprint.recentReplyIds) keys.push(...this.shapes.replyKeys(replyId));
    for (const [chatId] of footprint.chats) keys.push(cacheKeys.chatVersion(userId, chatId));
    const perVersion: Array<(version: number) => string[]> = [
      (version) => [
        cacheKeys.firstChatPage(userId, version, chatPageSize),
        ...listExtras.map((name) => cacheKeys.listExtra(userId, version, name)),
      ],
    ];
    const newest = [footprint.listVersion];
    for (const [chatId, version] of footprint.chats) {
      perVersion.push((at) => [
        cacheKeys.chatHeader(userId, chatId, at),
        cacheKeys.newestMessages(userId, chatId, at, messagePageSize),
      ]);
      newest.push(version);
    }
    // Newest versions first across all series: those are the entries most likely still cached.
    for (let back = 0; keys.length < MAX_KEYS_CLEARED; back += 1) {
      let any = false;
      perVersion.forEach((keysAt, index) => {
        const version = newest[index] - back;
        if (version < 0) return;
        any = true;
        keys.push(...keysAt(version));
      });
      if (!any) break;
    }
    return keys;
  }
}
