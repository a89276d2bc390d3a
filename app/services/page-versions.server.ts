import type { Versions } from "#db/repositories/chats";
import { noteVersionsRead } from "#app/lib/page-capture.server";
import { memoizeForRequest, seedForRequest, type RequestScope } from "#app/lib/request-memo.server";
import type { Runtime } from "./runtime.server";

/**
 * The versions a page shows: the user's chat list and, on a chat page, that chat. The layout's
 * loader and the chat's loader both need them; read once per page load (one multi-get when
 * cached). `chatId` must be a well-formed id (the chat route refuses others before reading).
 */
export function pageVersions(
  runtime: Runtime,
  scope: RequestScope,
  userId: string | null,
  chatId?: string,
): Promise<Versions> {
  if (!userId) return Promise.resolve({ list: 0, chat: null });
  return memoizeForRequest(scope, memoKey(userId, chatId), () => runtime.chats.versions(userId, chatId)).then(
    (versions) => {
      // The response cache keys a kept page by the versions its loaders read.
      noteVersionsRead(scope.context, userId, versions);
      return versions;
    },
  );
}

/**
 * Versions read for this request already, before Remix (the response cache's look-up reads
 * them with the session, in one round trip): the loaders use them instead of reading again.
 */
export function seedPageVersions(
  context: object,
  userId: string,
  chatId: string | undefined,
  versions: Versions,
): void {
  seedForRequest(context, memoKey(userId, chatId), versions);
}

const memoKey = (userId: string, chatId: string | undefined) => `versions:${userId}:${chatId ?? ""}`;
