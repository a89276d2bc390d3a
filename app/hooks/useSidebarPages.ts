import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatSummary } from "~/lib/view-types";

interface Page {
  cursor: string;
  chats: ChatSummary[];
  nextCursor: string | null;
}

/**
 * The sidebar's chats with JavaScript: the first page comes from the loader (and so is always
 * fresh); "Load more" appends later pages fetched by cursor. When the list changes (its
 * version moves), the appended pages are fetched again at their cursors. A chat that moved up
 * shows once, where it is now.
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

  // The list changed somewhere: refresh the pages appended so far.
  useEffect(() => {
    if (cursors.current.length === 0) return;
    let cancelled = false;
    Promise.all(cursors.current.map(fetchPage))
      .then((fresh) => {
        if (!cancelled) setPages(fresh);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [first.listVersion, fetchPage]);

  const seen = new Set<string>();
  const chats: ChatSummary[] = [];
  for (const chat of [...first.chats, ...pages.flatMap((page) => page.chats)]) {
    if (seen.has(chat.id)) continue;
    seen.add(chat.id);
    chats.push(chat);
  }
  const nextCursor = pages.length > 0 ? pages[pages.length - 1].nextCursor : first.nextCursor;
  return { chats, nextCursor, loadMore, loading, error };
}
