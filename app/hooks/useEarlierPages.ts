import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { MessageView } from "#app/lib/view-types";

interface EarlierPages {
  chatId: string;
  /** Older messages shown above the newest page, oldest first. */
  messages: MessageView[];
  /** Where the next older page starts; null at the start of the chat. */
  cursor: string | null;
  loaded: boolean;
}

/** The part of the chat page's data an older page brings (the route's loader, at a cursor). */
interface OlderPage {
  chat: { id: string };
  /** Newest last: its last message is the parent of the page after it. */
  messages: MessageView[];
  earlierCursor: string | null;
}

const none = (chatId: string): EarlierPages => ({ chatId, messages: [], cursor: null, loaded: false });

/**
 * "Show earlier" with JavaScript: older pages load by cursor through a fetcher and stack above
 * the newest page (the loader's). `cursor` is the loader's until a page has been loaded, then
 * the oldest loaded page's (null at the start of the chat, so the link goes away).
 *
 * The pages follow the chat's visible branch: the last older message is always the parent of
 * the newest page's first. Once older pages are shown, messages that new ones push out of the
 * newest page are kept here, or a gap would open between the pages; when another version is
 * chosen above the newest page, the older pages no longer lead to it and are dropped. State
 * from earlier renders is adjusted during render (React's pattern for it), so no frame shows
 * another chat's pages, another branch's or the gap.
 */
export function useEarlierPages(
  chatId: string,
  newest: { messages: MessageView[]; earlierCursor: string | null },
) {
  const fetcher = useFetcher<OlderPage>();
  const [pages, setPages] = useState<EarlierPages>(() => none(chatId));
  const [seenNewest, setSeenNewest] = useState(newest.messages);
  const [seenData, setSeenData] = useState(fetcher.data);

  let current = pages.chatId === chatId ? pages : none(chatId);
  if (fetcher.state === "idle" && fetcher.data !== seenData) {
    setSeenData(fetcher.data);
    const oldest = current.loaded ? current.messages[0] : seenNewest[0];
    const leadsOn = fetcher.data?.messages.at(-1)?.id === oldest?.parentId;
    if (fetcher.data && fetcher.data.chat.id === chatId && leadsOn) {
      const known = new Set(current.messages.map((message) => message.id));
      const older = fetcher.data.messages.filter((message) => !known.has(message.id));
      current = {
        chatId,
        messages: [...older, ...current.messages],
        cursor: fetcher.data.earlierCursor,
        loaded: true,
      };
    }
  }
  if (newest.messages !== seenNewest) {
    setSeenNewest(newest.messages);
    if (current.loaded) current = leadingTo(current, seenNewest, newest.messages[0]);
  }
  if (current !== pages) setPages(current);

  const cursor = current.loaded ? current.cursor : newest.earlierCursor;
  return {
    messages: current.messages,
    cursor,
    loading: fetcher.state !== "idle",
    load: () => {
      if (cursor) fetcher.load(`/chats/${chatId}?before=${encodeURIComponent(cursor)}`);
    },
  };
}

/**
 * The older pages that lead to `first`, the new newest page's first message: the shown
 * messages (older pages, then the previous newest page) up to its parent. When its parent is
 * not among them (another version was chosen higher up), the older pages are dropped and
 * "Show earlier" starts again from the newest page.
 */
function leadingTo(current: EarlierPages, previousNewest: MessageView[], first: MessageView | undefined) {
  if (!first) return current;
  const shown = [...current.messages];
  const known = new Set(shown.map((message) => message.id));
  for (const message of previousNewest) if (!known.has(message.id)) shown.push(message);
  const parent = shown.findIndex((message) => message.id === first.parentId);
  if (parent === -1) return none(current.chatId);
  if (parent === current.messages.length - 1) return current;
  return { ...current, messages: shown.slice(0, parent + 1) };
}
