import { isUuid } from "../../db/ids";
import { singleton } from "~/lib/singleton.server";
import { readyRuntime } from "./runtime.server";
import { createSessionCookie, readSessionCookie } from "./session-cookie.server";

/**
 * The sync check: the versions of the visitor's chat list and of the open chat, a few bytes
 * of JSON. The client re-runs its loaders only when one changed. Answered from the signed
 * cookie and one hot-store round trip; no session row is read (the loaders that follow a
 * change do that), so it stays cheap enough for thousands of visible tabs.
 */
export interface SyncState {
  list: number;
  chat: number | null;
}

export async function readSyncState(cookieHeader: string | null, chatId: string | null): Promise<SyncState> {
  const runtime = await readyRuntime();
  const cookie = singleton("session-cookie", () =>
    createSessionCookie(runtime.config.SESSION_SECRET, runtime.config.NODE_ENV === "production"),
  );
  const session = await readSessionCookie(cookie, cookieHeader);
  if (!session?.u) return { list: 0, chat: null };
  const openChat = chatId && isUuid(chatId) ? chatId : undefined;
  return runtime.chats.versions(session.u, openChat);
}

export const SYNC_PATH = "/resources/sync";
