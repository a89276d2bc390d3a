import type { PlaceIntent } from "#app/lib/sidebar-placement";

/**
 * A chat menu's Pin (or Unpin) and Archive. With JavaScript they call `place`, which submits
 * through the chat's placement fetcher (the sidebar moves the chat at once); without it, each
 * is a small plain form that posts and comes back to `redirectTo`.
 */
export function PlacementMenuItems({
  chatId,
  pinned,
  hydrated,
  redirectTo,
  place,
}: {
  chatId: string;
  pinned: boolean;
  hydrated: boolean;
  redirectTo: string;
  place?: (intent: PlaceIntent) => void;
}) {
  const items: Array<{ intent: PlaceIntent; label: string }> = [
    pinned ? { intent: "unpin", label: "Unpin" } : { intent: "pin", label: "Pin" },
    { intent: "archive", label: "Archive" },
  ];
  return (
    <>
      {items.map(({ intent, label }) =>
        hydrated && place ? (
          <button key={intent} type="button" className="menu-popover__item" onClick={() => place(intent)}>
            {label}
          </button>
        ) : (
          <form key={intent} method="post" action={`/chats/${chatId}`}>
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <button type="submit" className="menu-popover__item">
              {label}
            </button>
          </form>
        ),
      )}
    </>
  );
}
