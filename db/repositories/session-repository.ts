import type { Kysely } from "kysely";
import type { HotStore } from "#db/hot-store/hot-store";
import type { Database } from "#db/schema";
import { createSession, deleteSession, getLiveSession } from "./sessions";
import { createGuestUser } from "./users";

const sessionKey = (sessionId: string) => `session:${sessionId}`;

/**
 * Sessions live in Postgres (so they can be revoked); the hot store remembers
 * session → user for a short TTL because every request asks. Revoking deletes both; if the
 * store is down at that moment, the cached entry outlives the revocation by at most the TTL.
 */
export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly store: HotStore,
    private readonly cacheTtlSeconds = 60,
  ) {}

  /** Look-ups in flight: the loaders of one page ask at the same moment; one answer serves them all. */
  private readonly inFlight = new Map<string, Promise<string | null>>();

  /** The user of a live session, or null. */
  userIdForSession(sessionId: string): Promise<string | null> {
    const pending = this.inFlight.get(sessionId);
    if (pending) return pending;
    const lookup = this.lookUp(sessionId).finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, lookup);
    return lookup;
  }

  private async lookUp(sessionId: string): Promise<string | null> {
    const cached = await this.store.get(sessionKey(sessionId)).catch(() => undefined);
    if (cached) return cached;
    const session = await getLiveSession(this.db, sessionId);
    if (!session) return null;
    if (cached !== undefined) {
      await this.store
        .set(sessionKey(sessionId), session.user_id, this.cacheTtlSeconds)
        .catch(() => undefined);
    }
    return session.user_id;
  }

  /** Creates a guest user and their session in one transaction. */
  async createGuest(userId: string, sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await createGuestUser(trx, userId);
      await createSession(trx, { id: sessionId, userId, expiresAt });
    });
  }

  async revoke(sessionId: string): Promise<void> {
    await deleteSession(this.db, sessionId);
    await this.store.del([sessionKey(sessionId)]).catch(() => undefined);
  }
}
