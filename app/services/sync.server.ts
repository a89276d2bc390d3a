import { canonicalId } from "#db/ids";
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
  // No reply in flight: this instance's memory may answer alone, with no I/O (see
  // VersionedCache.knownVersions and SessionRepository.knownUserId), as strictly as below.
  if (!query.replyId) {
    const known = runtime.sessions.knownUserId(session.s);
    if (known === null || (known !== undefined && known !== userId)) return { list: 0, chat: null };
    const versions = known === userId ? runtime.chats.knownVersions(userId, query.chatId ?? undefined) : null;
    if (versions) return { list: versions.list, chat: versions.chat };
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

export const SYNC_PATH = "/resources/sync";
