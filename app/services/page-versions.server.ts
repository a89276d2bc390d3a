import type { Versions } from "#db/repositories/chats";
import { memoizeForRequest, type RequestScope } from "#app/lib/request-memo.server";
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
  return memoizeForRequest(scope, `versions:${userId}:${chatId ?? ""}`, () =>
    runtime.chats.versions(userId, chatId),
  );
}
