import { canonicalId } from "#db/ids";
import type { Versions } from "#db/repositories/chats";
import { sessionCacheKey } from "#db/repositories/session-repository";
import { decodeProgress, replyProgressKey } from "./assistant/reply-progress.server";
import type { SyncState } from "#app/lib/sync-state";
import type { Runtime } from "./runtime.server";
import { readSessionCookie, sessionCookie } from "./session-cookie.server";

export interface SyncQuery {
  chatId: string | null;
  replyId: string | null;
  /** How much of the reply's text the client already has. */
  offset: number;
}

export function parseSyncQuery(params: URLSearchParams): SyncQuery {
  const chatId = params.get("chat");
  const replyId = params.get("reply");
  const offset = Number(params.get("offset") ?? 0);
  return {
    chatId: canonicalId(chatId),
    replyId: canonicalId(replyId),
    offset: Number.isSafeInteger(offset) && offset >= 0 ? offset : 0,
  };
}

/**
 * The sync check: the versions of the visitor's chat list and of the open chat, and the new
 * text of a reply in flight, as a few bytes of JSON. The client re-runs its loaders only when
 * a version changed. Answered from the signed cookie and one hot-store round trip that also
 * reads the session's cached look-up (a miss asks Postgres, once per cache TTL), and an
 * in-memory check against the revocation feed, so an ended session learns nothing here; it
 * stays cheap enough for thousands of visible tabs. When this instance already knows all of
 * it (the versions from the store's announcements, the session from a recent look-up), it
 * answers from memory and sends nothing at all.
 */
export async function readSyncState(
  runtime: Runtime,
  cookieHeader: string | null,
  query: SyncQuery,
): Promise<SyncState> {
  const cookie = sessionCookie(runtime.config);
  const session = await readSessionCookie(cookie, cookieHeader);
  if (!session?.u) return { list: 0, chat: null };
  const userId = session.u;
  // No reply in flight: this instance's memory may answer alone, with no I/O.
  if (!query.replyId) {
    const known = versionsFromMemory(runtime, session.s, userId, query.chatId ?? undefined);
    if (known === "refused") return { list: 0, chat: null };
    if (known) return { list: known.list, chat: known.chat };
  }
  // The session's cached look-up comes in the same round trip as the versions.
  const extraKeys = [sessionCacheKey(session.s), ...(query.replyId ? [replyProgressKey(query.replyId)] : [])];
  const { versions, extras } = await runtime.chats.syncSnapshot(userId, query.chatId ?? undefined, extraKeys);
  if ((await runtime.sessions.userIdFromCachedLookUp(session.s, extras[0])) !== userId) {
    return { list: 0, chat: null };
  }
  const state: SyncState = { list: versions.list, chat: versions.chat };
  const progress = decodeProgress(extras[1] ?? null);
  if (progress && progress.userId === userId) {
    // Text only grows during a run; an offset past its end means a new run: send it all.
    const offset = query.offset <= progress.text.length ? query.offset : 0;
    state.reply = { offset, text: progress.text.slice(offset), at: progress.at };
  }
  return state;
}

/**
 * The versions of `userId`'s list (and chat) as this instance's memory knows them, with no
 * I/O (VersionedCache.knownVersions, SessionRepository.knownUserId), exactly as strict as the
 * round trip: "refused" for a revoked session or another user's, null when memory cannot say
 * (then the caller asks the hot store). The sync check and the response cache both ask it.
 */
export function versionsFromMemory(
  runtime: Runtime,
  sessionId: string,
  userId: string,
  chatId: string | undefined,
): Versions | "refused" | null {
  const known = runtime.sessions.knownUserId(sessionId);
  if (known === null || (known !== undefined && known !== userId)) return "refused";
  return known === userId ? runtime.chats.knownVersions(userId, chatId) : null;
}

export const SYNC_PATH = "/resources/sync";
