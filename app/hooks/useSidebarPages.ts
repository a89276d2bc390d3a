import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatSummary } from "#app/lib/view-types";

/** A bound on the pages fetched again after a change (each is one request). */
const MAX_REFRESHED_PAGES = 20;

/** Whether `chat` is listed at `depth` or below it (newest activity first, then id). */
function listedAtOrAfter(chat: ChatSummary, depth: ChatSummary): boolean {
  if (chat.updatedAt !== depth.updatedAt) return chat.updatedAt < depth.updatedAt;
  return chat.id <= depth.id;
}

interface Page {
  cursor: string;
  chats: ChatSummary[];
  nextCursor: string | null;
}

/**
 * The sidebar's chats with JavaScript: the first page comes from the loader (and so is always
 * fresh); "Load more" appends later pages fetched by cursor. When the list changes (its
 * version moves), the appended pages are fetched again, chained from the fresh first page and
 * as deep as before. A chat that moved up shows once, where it is now.
 */
export function useSidebarPages(first: {
  chats: ChatSummary[];
  nextCursor: string | null;
  listVersion: number;
  projectId: string | null;
}) {
  const [pages, setPages] = useState<Page[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursors = useRef<string[]>([]);

  const fetchPage = useCallback(
    async (cursor: string): Promise<Page> => {
      const project = first.projectId ? `&project=${encodeURIComponent(first.projectId)}` : "";
      const response = await fetch(`/resources/chats-page?cursor=${encodeURIComponent(cursor)}${project}`, {
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`Could not load more chats (${response.status}).`);
      const page = (await response.json()) as { chats: ChatSummary[]; nextCursor: string | null };
      return { cursor, ...page };
    },
    [first.projectId],
  );

  // Another project (or none): the appended pages belong to the old list.
  useEffect(() => {
    cursors.current = [];
    setPages([]);
  }, [first.projectId]);

  const loadMore = useCallback(
    async (cursor: string) => {
      if (cursors.current.includes(cursor)) return;
      setLoading(true);
      setError(null);
      try {
        const page = await fetchPage(cursor);
        cursors.current = [...cursors.current, cursor];
        setPages((existing) => [...existing, page]);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : "Could not load more chats.");
      } finally {
        setLoading(false);
      }
    },
    [fetchPage],
  );

  // The list changed somewhere: fetch the appended pages again, chained from the fresh first
  // page, as deep as the list went before. (Refetching at the old cursors would lose the chats
  // that new ones pushed across a page boundary; the same number of pages would lose the
  // oldest ones.)
  const lastShown = useRef<ChatSummary | undefined>(undefined);
  useEffect(() => {
    const depth = lastShown.current;
    if (cursors.current.length === 0 || !depth) return;
    let cancelled = false;
    (async () => {
      const fresh: Page[] = [];
      let cursor = first.nextCursor;
      while (cursor && fresh.length < MAX_REFRESHED_PAGES) {
        const page = await fetchPage(cursor);
        fresh.push(page);
        cursor = page.nextCursor;
        if (page.chats.some((chat) => listedAtOrAfter(chat, depth))) break;
      }
      if (cancelled) return;
      cursors.current = fresh.map((page) => page.cursor);
      setPages(fresh);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // first.nextCursor moves with the list version, which alone decides when to refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first.listVersion, fetchPage]);

  const seen = new Set<string>();
  const chats: ChatSummary[] = [];
  for (const chat of [...first.chats, ...pages.flatMap((page) => page.chats)]) {
    if (seen.has(chat.id)) continue;
    seen.add(chat.id);
    chats.push(chat);
  }
  lastShown.current = chats[chats.length - 1];
  const nextCursor = pages.length > 0 ? pages[pages.length - 1].nextCursor : first.nextCursor;
  return { chats, nextCursor, loadMore, loading, error };
}
