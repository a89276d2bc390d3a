import { useFetchers } from "@remix-run/react";
import { PLACE_INTENTS, placeFetcherKey, type PlaceIntent } from "#app/lib/sidebar-placement";
import { deleteFetcherKey, renameFetcherKey } from "#app/lib/sidebar-submissions";

const PLACE_PREFIX = placeFetcherKey("");
const RENAME_PREFIX = renameFetcherKey("");
const DELETE_PREFIX = deleteFetcherKey("");

/** What the sidebar's chats are having done to them right now, by chat id. */
export interface PendingSubmissions {
  /** Pin, unpin, archive and restore in flight (until their revalidation ends). */
  placements: Map<string, PlaceIntent>;
  /** The new title of a rename in flight: shown at once. */
  titles: Map<string, string>;
  /** Chats being deleted: gone from the list at once. */
  deleting: Set<string>;
}

/**
 * Every sidebar submission in flight, read once for the whole list (one `useFetchers`) rather
 * than by three fetchers in each of its items.
 */
export function usePendingSubmissions(): PendingSubmissions {
  const pending: PendingSubmissions = { placements: new Map(), titles: new Map(), deleting: new Set() };
  for (const fetcher of useFetchers()) {
    if (fetcher.key.startsWith(DELETE_PREFIX)) {
      if (fetcher.state !== "idle") pending.deleting.add(fetcher.key.slice(DELETE_PREFIX.length));
      continue;
    }
    if (!fetcher.formData) continue;
    if (fetcher.key.startsWith(PLACE_PREFIX)) {
      const intent = fetcher.formData.get("intent");
      if (PLACE_INTENTS.includes(intent as PlaceIntent))
        pending.placements.set(fetcher.key.slice(PLACE_PREFIX.length), intent as PlaceIntent);
    } else if (fetcher.key.startsWith(RENAME_PREFIX)) {
      const title = fetcher.formData.get("title");
      if (typeof title === "string" && title.trim())
        pending.titles.set(fetcher.key.slice(RENAME_PREFIX.length), title.trim());
    }
  }
  return pending;
}
