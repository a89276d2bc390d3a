import type { ChatSummary } from "./view-types";

/**
 * The sidebar's two lists (pinned, then the day-grouped rest) as they will be once the pin,
 * unpin and archive submissions still in flight are done: what the person sees at once, with
 * JavaScript, before the server answers. Shared by the sidebar and its tests.
 */

export type PlaceIntent = "pin" | "unpin" | "archive" | "restore";

export const PLACE_INTENTS: readonly PlaceIntent[] = ["pin", "unpin", "archive", "restore"];

/** The fetcher key of a chat's pin/unpin/archive/restore: one per chat, so the latest wins. */
export const placeFetcherKey = (chatId: string) => `place:${chatId}`;

/** Newest activity first, then id: the order of the paged list (db/repositories/chats.ts). */
function listedBefore(a: ChatSummary, b: ChatSummary): boolean {
  return a.updatedAt !== b.updatedAt ? a.updatedAt > b.updatedAt : a.id > b.id;
}

/**
 * `pinned` and `listed` as the server last sent them, moved by `pending` (chat id → intent).
 * `listComplete`: the listed chats are all there are (no "Load more"), so an unpinned chat
 * older than the last one shown still belongs at the end. The listed chats also lose any chat
 * that is pinned: a page appended before the pin may still hold it until it is fetched again.
 */
export function placeOptimistically(
  pinned: ChatSummary[],
  listed: ChatSummary[],
  pending: ReadonlyMap<string, PlaceIntent>,
  listComplete: boolean,
): { pinned: ChatSummary[]; listed: ChatSummary[] } {
  const newlyPinned = listed.filter((chat) => pending.get(chat.id) === "pin");
  const stayPinned = pinned.filter((chat) => {
    const intent = pending.get(chat.id);
    return intent !== "unpin" && intent !== "archive";
  });
  const nextPinned = [...newlyPinned.reverse(), ...stayPinned];
  const pinnedIds = new Set(nextPinned.map((chat) => chat.id));
  let nextListed = listed.filter((chat) => !pinnedIds.has(chat.id) && pending.get(chat.id) !== "archive");
  for (const chat of pinned) {
    if (pending.get(chat.id) !== "unpin" || nextListed.some((shown) => shown.id === chat.id)) continue;
    const at = nextListed.findIndex((shown) => listedBefore(chat, shown));
    if (at >= 0) nextListed = [...nextListed.slice(0, at), chat, ...nextListed.slice(at)];
    else if (listComplete) nextListed = [...nextListed, chat];
  }
  return { pinned: nextPinned, listed: nextListed };
}
