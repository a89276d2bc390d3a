import { encodeSearchCursor } from "#app/lib/search-params.server";
import { snippetParts, type SnippetPart } from "#app/lib/snippet";
import { SNIPPET_MARKS, type SearchCursor } from "#db/repositories/search";
import { searchTerms } from "#db/repositories/search-terms";
import type { Runtime } from "./runtime.server";

/** Results per page of the search page. */
const SEARCH_PAGE_SIZE = 20;

/**
 * Messages shown after a found message when its chat opens at it: the page of messages is
 * loaded so the hit sits near its middle, with its context on both sides.
 */
export const newerMessagesAroundHit = (pageSize: number) => Math.floor(pageSize / 2);

export interface SearchResultView {
  /** The message id, or the chat id for a title match. */
  id: string;
  chatId: string;
  /** Opens the chat at the message (or at its newest messages, for a title match). */
  href: string;
  kind: "title" | "user" | "assistant";
  /** The message's time, or the chat's last activity. ISO. */
  at: string;
  title: SnippetPart[];
  snippet: SnippetPart[] | null;
}

export interface SearchResults {
  results: SearchResultView[];
  /** The next page's `after`; null on the last page. */
  nextCursor: string | null;
}

const NONE: SearchResults = { results: [], nextCursor: null };

/** A page of the user's chats matching `query`. A visitor without a user has none. */
export async function searchChats(
  runtime: Runtime,
  userId: string | null,
  query: string,
  after?: SearchCursor,
): Promise<SearchResults> {
  if (!userId || !query) return NONE;
  const page = await runtime.search.search(userId, searchTerms(query), { limit: SEARCH_PAGE_SIZE, after });
  return {
    results: page.hits.map((hit) => ({
      id: hit.messageId ?? hit.chatId,
      chatId: hit.chatId,
      href: hit.messageId
        ? `/chats/${hit.chatId}?at=${hit.messageId}#m-${hit.messageId}`
        : `/chats/${hit.chatId}`,
      kind: hit.messageId ? (hit.role === "user" ? "user" : "assistant") : "title",
      at: hit.at.toISOString(),
      title: snippetParts(hit.title, SNIPPET_MARKS),
      snippet: hit.snippet === null ? null : snippetParts(hit.snippet, SNIPPET_MARKS),
    })),
    nextCursor: page.next ? encodeSearchCursor(page.next) : null,
  };
}
