import type { Kysely } from "kysely";
import { LRUCache } from "lru-cache";
import type { HotStore } from "#db/hot-store/hot-store";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import { decodeCachedLookUp, encodeCachedLookUp } from "#db/sessions/cached-look-up";
import { LiveSessionLoader } from "#db/sessions/live-session-loader";
import { TouchBuffer } from "#db/sessions/touch-buffer";
import type { Database, SessionRow } from "#db/schema";
import {
  createSession,
  deleteSession,
  deleteSessionsOfUser,
  listLiveSessions,
  touchSessions,
  type SessionLifetime,
} from "./sessions";
import { createGuestUser } from "./users";

/**
 * The hot-store key of a cached session look-up (session id → user id and the moment the copy
 * expires, db/sessions/cached-look-up.ts). Not `session:<id>`, which held the user id alone:
 * instances of an older release, during a rolling upgrade, keep reading and writing that one.
 */
export const sessionCacheKey = (sessionId: string) => `session:${sessionId}:until`;

/** What the repository needs to know about ended sessions (db/sessions/revocation-feed.ts). */
export interface Revocations {
  /** Whether a cached look-up may be believed at all. */
  readonly trusted: boolean;
  isRevoked(sessionId: string): boolean;
  subscribe?(listener: (sessionIds: string[]) => void): void;
}

/**
 * A cached look-up's TTL, cut by up to a fifth at random: copies made together (an instance
 * starting, tabs opening at once) then expire over the last fifth of the TTL, not at once.
 */
function spreadTtl(seconds: number): number {
  return Math.max(1, Math.round(seconds * (0.8 + 0.2 * Math.random())));
}

const NO_FEED: Revocations = { trusted: true, isRevoked: () => false };

const DAY_SECONDS = 86_400;
const DEFAULT_LIFETIME: SessionLifetime = { idleSeconds: 30 * DAY_SECONDS, maxSeconds: 365 * DAY_SECONDS };
/** Sessions whose last-seen time this process wrote in the last minute (see noteSeen). */
const SEEN_WINDOW_MS = 60_000;
/** Bounded by bytes like every in-process cache: ~50,000 sessions at ~240 bytes each. */
const SEEN_MAX_BYTES = 12 * 1024 * 1024;
/** Bound on the look-ups this process keeps in memory (knownUserId), keys included. */
const KNOWN_MAX_BYTES = 4 * 1024 * 1024;

/** A look-up this process made in Postgres or read from its cached copy, believed until `until` (ms), like its cached copy. */
interface KnownSession {
  userId: string;
  until: number;
}

/**
 * Sessions live in Postgres (so they can be revoked); the hot store remembers
 * session → user for a short TTL because every request asks. A session that ends anywhere
 * (any instance, or by hand in SQL) is refused here within one poll of the revocation feed,
 * cached or not; a cached look-up never outlives the session's own expiry.
 */
export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly store: HotStore,
    private readonly revocations: Revocations = NO_FEED,
    private readonly cacheTtlSeconds = 60,
    readonly lifetime: SessionLifetime = DEFAULT_LIFETIME,
  ) {
    revocations.subscribe?.((sessionIds) => void this.forget(sessionIds));
    this.loader = new LiveSessionLoader(db);
    this.touches = new TouchBuffer(
      (ids) => touchSessions(db, ids, lifetime),
      (ids) => {
        for (const id of ids) this.seen.delete(id);
      },
    );
  }

  /** Look-ups that reach Postgres, gathered a few milliseconds into one statement. */
  private readonly loader: LiveSessionLoader;

  /** Last-seen writes, batched per second; a failed one is tried again on the session's next use. */
  private readonly touches: TouchBuffer;

  /**
   * Sessions this process marked as seen within the last minute. A look-up costs one bounded
   * map check here; the write (which moves the idle expiry) happens at most once a minute
   * per session and process, in the background, and the query itself skips sessions another
   * instance touched in that minute.
   */
  private readonly seen = new LRUCache<string, true>({
    maxSize: SEEN_MAX_BYTES,
    sizeCalculation: (_seen, sessionId) => cacheEntryBytes(sessionId),
    ttl: SEEN_WINDOW_MS,
  });

  /**
   * Look-ups this process read from Postgres or from their cached copy, each kept exactly as
   * long as that copy (the cache TTL, never past the session's expiry), so the sync check can
   * answer with no I/O at all and be no less strict: a revoked session is refused by the feed
   * before this is consulted, and nothing here is believed while the feed is not trusted.
   */
  private readonly known = new LRUCache<string, KnownSession>({
    maxSize: KNOWN_MAX_BYTES,
    sizeCalculation: (entry, key) => cacheEntryBytes(key, entry.userId),
  });

  /** Look-ups in flight: the loaders of one page ask at the same moment; one answer serves them all. */
  private readonly inFlight = new Map<string, Promise<string | null>>();

  /**
   * The user of a live session, or null. `fromStore` is the cached look-up when the caller
   * has just read it (null: the store has none), so it is not read twice.
   */
  userIdForSession(sessionId: string, fromStore?: string | null): Promise<string | null> {
    if (this.revocations.isRevoked(sessionId)) return Promise.resolve(null);
    const pending = this.inFlight.get(sessionId);
    if (pending) return pending;
    const lookup = this.lookUp(sessionId, fromStore).finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, lookup);
    return lookup;
  }

  /**
   * The user of a session whose cached look-up the caller has read already (the sync check
   * reads it in the same round trip as the versions): null `cached` means a miss.
   */
  async userIdFromCachedLookUp(sessionId: string, cached: string | null): Promise<string | null> {
    if (this.revocations.isRevoked(sessionId)) return null;
    if (cached && this.revocations.trusted) return this.believe(sessionId, cached);
    return this.userIdForSession(sessionId, cached);
  }

  /** A cached look-up read from the store: kept in memory until its copy there expires. */
  private believe(sessionId: string, cached: string): string {
    this.noteSeen(sessionId);
    const { userId, until } = decodeCachedLookUp(cached);
    if (until !== null && until > Date.now()) this.known.set(sessionId, { userId, until });
    return userId;
  }

  /**
   * The user of a session answered from this process's memory: null when it is revoked,
   * undefined when memory cannot vouch for it (the caller then reads the cached look-up).
   * Like every look-up that finds the session, it counts as a use (noteSeen).
   */
  knownUserId(sessionId: string, now = Date.now()): string | null | undefined {
    if (this.revocations.isRevoked(sessionId)) return null;
    if (!this.revocations.trusted) return undefined;
    const entry = this.known.get(sessionId);
    if (!entry || entry.until <= now) return undefined;
    this.noteSeen(sessionId);
    return entry.userId;
  }

  /**
   * The user of a session from its cached look-up alone, or null when only Postgres could
   * say (no cached look-up, or the revocation feed not trusted right now) or it is revoked.
   */
  cachedUserId(sessionId: string, cached: string | null): string | null {
    if (!cached || !this.revocations.trusted || this.revocations.isRevoked(sessionId)) return null;
    return this.believe(sessionId, cached);
  }

  private async lookUp(sessionId: string, fromStore?: string | null): Promise<string | null> {
    const key = sessionCacheKey(sessionId);
    const cached = fromStore !== undefined ? fromStore : await this.store.get(key).catch(() => undefined);
    if (cached && this.revocations.trusted) return this.believe(sessionId, cached);
    const session = await this.loader.load(sessionId);
    if (!session) return null;
    this.noteSeen(sessionId);
    const secondsLeft = Math.floor((session.expires_at.getTime() - Date.now()) / 1000);
    const ttl = Math.min(spreadTtl(this.cacheTtlSeconds), secondsLeft);
    const until = Date.now() + ttl * 1000;
    if (ttl > 0) this.known.set(sessionId, { userId: session.user_id, until });
    // Not refilled when the store failed just now (it may be down) or the session ends soon.
    if (cached !== undefined && ttl > 0)
      await this.store.set(key, encodeCachedLookUp(session.user_id, until), ttl).catch(() => undefined);
    return session.user_id;
  }

  /**
   * Moves the session's idle expiry and last-seen time (at most once a minute per process,
   * written within a second with others). Called by every look-up that finds the session,
   * from memory, from its cached copy or from Postgres: the copy lasts minutes, last-seen is
   * kept to the minute.
   */
  private noteSeen(sessionId: string): void {
    if (this.seen.has(sessionId)) return;
    this.seen.set(sessionId, true);
    this.touches.add(sessionId);
  }

  /** Writes the last-seen times still waiting (tests; the buffer writes them within a second). */
  flushTouches(): Promise<void> {
    return this.touches.flush();
  }

  /** When a session made now expires unless it is seen again. */
  newExpiry(now = Date.now()): Date {
    return new Date(now + 1000 * Math.min(this.lifetime.idleSeconds, this.lifetime.maxSeconds));
  }

  /** Creates a guest user and their session in one transaction. */
  async createGuest(
    userId: string,
    sessionId: string,
    expiresAt: Date,
    userAgent: string | null = null,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await createGuestUser(trx, userId);
      await createSession(trx, { id: sessionId, userId, expiresAt, userAgent });
    });
  }

  /** The user's live sessions, most recently seen first. */
  listLive(userId: string): Promise<SessionRow[]> {
    return listLiveSessions(this.db, userId);
  }

  /**
   * Ends sessions of `userId` only: those named, or all but `except`. An id of someone
   * else's session ends nothing. Resolves the ids ended.
   */
  async endSessionsOfUser(userId: string, which: { ids: string[] } | { except: string }): Promise<string[]> {
    const ended = await deleteSessionsOfUser(this.db, userId, which);
    await this.forget(ended);
    return ended;
  }

  /** Ends a session: every instance refuses it within one feed poll (the delete is recorded by a trigger). */
  async revoke(sessionId: string): Promise<void> {
    await deleteSession(this.db, sessionId);
    await this.forget([sessionId]);
  }

  /** Drops cached look-ups (best effort: the revocation feed refuses the sessions regardless). */
  async forget(sessionIds: string[]): Promise<void> {
    for (const sessionId of sessionIds) this.known.delete(sessionId);
    await this.store.del(sessionIds.map(sessionCacheKey)).catch(() => undefined);
  }
}
