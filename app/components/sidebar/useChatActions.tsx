import { useFetcher, useNavigate, useSubmit } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionResult } from "#app/lib/action-result";
import { placeFetcherKey } from "#app/lib/sidebar-placement";
import { deleteFetcherKey, renameFetcherKey, type ChatActions } from "#app/lib/sidebar-submissions";

/**
 * The sidebar's chat actions with JavaScript: one `useSubmit` and one `useNavigate` for the
 * whole list. Each submission goes through a fetcher keyed by its chat (what the sidebar shows
 * optimistically reads them, app/hooks/usePendingSubmissions.ts), and a watcher is mounted
 * only while one is in flight, to report a refusal: the row itself may be gone by then.
 */
export function useChatActions(onRefused: (message: string) => void): {
  actions: ChatActions;
  watchers: React.ReactNode;
} {
  const submit = useSubmit();
  const navigate = useNavigate();
  const [watched, setWatched] = useState<readonly string[]>([]);
  const actions = useMemo<ChatActions>(() => {
    const send = (fetcherKey: string, chatId: string, fields: Record<string, string>) => {
      setWatched((keys) => (keys.includes(fetcherKey) ? keys : [...keys, fetcherKey]));
      submit(fields, { method: "post", action: `/chats/${chatId}`, navigate: false, fetcherKey });
    };
    return {
      rename: (chatId, title) =>
        send(renameFetcherKey(chatId), chatId, { intent: "rename", via: "fetcher", title }),
      place: (chatId, intent) => send(placeFetcherKey(chatId), chatId, { intent, via: "fetcher" }),
      // The open chat's deletion follows the action's redirect to the chat list.
      remove: (chatId, active) =>
        send(
          deleteFetcherKey(chatId),
          chatId,
          active ? { intent: "delete", redirectTo: "/chats" } : { intent: "delete", via: "fetcher" },
        ),
      open: (href) => navigate(href),
    };
  }, [submit, navigate]);
  const watchers = watched.map((fetcherKey) => (
    <OutcomeWatcher
      key={fetcherKey}
      fetcherKey={fetcherKey}
      onRefused={onRefused}
      onSettled={() => setWatched((keys) => keys.filter((key) => key !== fetcherKey))}
    />
  ));
  return { actions, watchers };
}

/** Reports the outcome of one submission in flight, then unmounts (its fetcher goes with it). */
function OutcomeWatcher({
  fetcherKey,
  onRefused,
  onSettled,
}: {
  fetcherKey: string;
  onRefused: (message: string) => void;
  onSettled: () => void;
}) {
  const fetcher = useFetcher<ActionResult>({ key: fetcherKey });
  // Only the answer to this submission counts, not data another holder of the key kept from before.
  const busy = useRef(false);
  useEffect(() => {
    if (fetcher.state !== "idle") {
      busy.current = true;
      return;
    }
    if (!busy.current) return;
    busy.current = false;
    if (fetcher.data && !fetcher.data.ok) onRefused(fetcher.data.error);
    onSettled();
  }, [fetcher.state, fetcher.data, onRefused, onSettled]);
  return null;
}
