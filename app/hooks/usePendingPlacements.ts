import { useFetchers } from "@remix-run/react";
import { PLACE_INTENTS, placeFetcherKey, type PlaceIntent } from "#app/lib/sidebar-placement";

const KEY_PREFIX = placeFetcherKey("");

/** The pin, unpin, archive and restore submissions in flight (until their revalidation ends), by chat id. */
export function usePendingPlacements(): Map<string, PlaceIntent> {
  const pending = new Map<string, PlaceIntent>();
  for (const fetcher of useFetchers()) {
    if (!fetcher.key.startsWith(KEY_PREFIX) || !fetcher.formData) continue;
    const intent = fetcher.formData.get("intent");
    if (PLACE_INTENTS.includes(intent as PlaceIntent))
      pending.set(fetcher.key.slice(KEY_PREFIX.length), intent as PlaceIntent);
  }
  return pending;
}
