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
  messages: MessageView[];
  earlierCursor: string | null;
}

const none = (chatId: string): EarlierPages => ({ chatId, messages: [], cursor: null, loaded: false });

/**
 * "Show earlier" with JavaScript: older pages load by cursor through a fetcher and stack above
 * the newest page (the loader's). `cursor` is the loader's until a page has been loaded, then
 * the oldest loaded page's (null at the start of the chat, so the link goes away).
 *
 * Once older pages are shown, messages that new ones push out of the newest page are kept
 * here, or a gap would open between the pages. State from earlier renders is adjusted during
 * render (React's pattern for it), so no frame shows another chat's pages or the gap.
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
    if (fetcher.data && fetcher.data.chat.id === chatId) {
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
    const slidOut = current.loaded ? messagesBefore(seenNewest, newest.messages[0]?.id) : [];
    if (slidOut.length > 0) {
      const known = new Set(current.messages.map((message) => message.id));
      current = {
        ...current,
        messages: [...current.messages, ...slidOut.filter((message) => !known.has(message.id))],
      };
    }
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

/** The messages of an earlier newest page that came before `firstId`, the new page's first. */
function messagesBefore(previous: MessageView[], firstId: string | undefined): MessageView[] {
  const index = previous.findIndex((message) => message.id === firstId);
  return index > 0 ? previous.slice(0, index) : [];
}
