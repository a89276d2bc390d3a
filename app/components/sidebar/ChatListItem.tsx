import { memo, useEffect, useRef, useState } from "react";
import { TITLE_INPUT_MAX_CHARS } from "#app/lib/message-rules";
import type { PlaceIntent } from "#app/lib/sidebar-placement";
import type { ChatActions } from "#app/lib/sidebar-submissions";
import type { ChatSummary } from "#app/lib/view-types";
import { ConfirmDeleteDialog } from "./ConfirmDeleteDialog";
import { PlacementMenuItems } from "./PlacementMenuItems";

interface ChatListItemProps {
  chat: ChatSummary;
  /** Listed in the pinned group: the menu offers Unpin rather than Pin. */
  pinned: boolean;
  active: boolean;
  hydrated: boolean;
  /** Query string kept on the chat's link (the sidebar's project filter). */
  search: string;
  /** Where the forms of the menu without JavaScript come back to (the page they are on). */
  redirectTo: string;
  /** The new title of a rename in flight, shown at once. */
  pendingTitle: string | undefined;
  actions: ChatActions;
  /** Called when the chat is being pinned or unpinned: it moves to the other group. */
  onMoved: (chatId: string, pinned: boolean) => void;
  /**
   * Called when the row is about to go (archived, deleted) with where the keyboard's focus
   * should go once it has: the sidebar moves it, since this row is unmounted by then.
   */
  onLeaving: (focusNext: HTMLElement | null) => void;
}

/**
 * One chat in the sidebar, with its menu. Without JavaScript the menu (a `<details>`) holds
 * plain forms: rename, pin or unpin, archive, and a link to a confirmation page for delete.
 * With it, the menu's buttons are drawn only while it is open, rename happens in place and
 * delete asks in a dialog, all shown at once and undone, with the reason, if the server
 * refuses. An item holds no router hook: the sidebar submits for it (`actions`) and tells it
 * what is in flight, so a list of chats costs little to render.
 */
export const ChatListItem = memo(function ChatListItem({
  chat,
  pinned,
  active,
  hydrated,
  search,
  redirectTo,
  pendingTitle,
  actions,
  onMoved,
  onLeaving,
}: ChatListItemProps) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDetailsElement>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const summary = useRef<HTMLElement>(null);
  // Where the keyboard's focus goes once a rename or the dialog closes (after React has put
  // the link or the menu back, and the modal dialog no longer makes the page inert), so it is
  // not dropped onto the page's body.
  const [focusNext, setFocusNext] = useState<"link" | "menu" | HTMLElement | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    const target = focusNext === "link" ? link.current : focusNext === "menu" ? summary.current : focusNext;
    target?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const title = pendingTitle ?? chat.title;
  const closeMenu = () => menu.current?.removeAttribute("open");
  const action = `/chats/${chat.id}`;
  const href = action + search;
  const place = (intent: PlaceIntent) => {
    closeMenu();
    // Archived, the row goes: keep the keyboard's place on a neighbouring chat. Pinned or
    // unpinned, it is drawn anew in the other group, where the sidebar puts the focus back.
    if (intent === "archive") onLeaving(neighbourLink(link.current));
    else onMoved(chat.id, intent === "pin");
    actions.place(chat.id, intent);
  };

  return (
    <li className={`chat-item${active ? " chat-item--active" : ""}`}>
      {editing ? (
        <form
          method="post"
          action={action}
          className="chat-item__rename"
          onSubmit={(event) => {
            event.preventDefault();
            const value = new FormData(event.currentTarget).get("title");
            setEditing(false);
            setFocusNext("link");
            if (typeof value === "string") actions.rename(chat.id, value);
          }}
        >
          <RenameInput
            defaultValue={title}
            onCancel={(byKeyboard) => {
              setEditing(false);
              if (byKeyboard) setFocusNext("link");
            }}
            label={`New name for ${title}`}
          />
        </form>
      ) : (
        <a
          ref={link}
          href={href}
          className="chat-item__link"
          aria-current={active ? "page" : undefined}
          // As on Remix's own links: the router learns this route before the click (lazy route discovery).
          data-discover="true"
          onClick={(event) => {
            // A plain click opens the chat in place; a modified one (new tab, window) is the browser's.
            if (
              !hydrated ||
              event.button !== 0 ||
              event.metaKey ||
              event.ctrlKey ||
              event.shiftKey ||
              event.altKey
            )
              return;
            event.preventDefault();
            actions.open(href);
          }}
        >
          <span className="chat-item__title">{title}</span>
        </a>
      )}
      {!editing ? (
        <details
          className="chat-item__menu"
          ref={menu}
          onToggle={(event) => setOpen(event.currentTarget.open)}
        >
          <summary ref={summary} className="icon-button" aria-label={`Options for ${title}`} title="Options">
            <DotsIcon />
          </summary>
          <div className="menu-popover">
            {!hydrated ? (
              <MenuWithoutScript chatId={chat.id} title={title} pinned={pinned} redirectTo={redirectTo} />
            ) : open ? (
              <>
                <button
                  type="button"
                  className="menu-popover__item"
                  onClick={() => {
                    closeMenu();
                    setEditing(true);
                  }}
                >
                  Rename
                </button>
                <PlacementMenuItems
                  chatId={chat.id}
                  pinned={pinned}
                  hydrated
                  redirectTo={redirectTo}
                  place={place}
                />
                <button
                  type="button"
                  className="menu-popover__item menu-popover__item--danger"
                  onClick={() => {
                    closeMenu();
                    setConfirming(true);
                  }}
                >
                  Delete
                </button>
              </>
            ) : null}
          </div>
        </details>
      ) : null}
      {confirming ? (
        <ConfirmDeleteDialog
          title={title}
          onCancel={() => {
            setConfirming(false);
            setFocusNext("menu");
          }}
          onConfirm={() => {
            setConfirming(false);
            // This row is about to go: keep the keyboard's place on a neighbouring chat.
            if (!active) onLeaving(neighbourLink(link.current));
            actions.remove(chat.id, active);
          }}
        />
      ) : null}
    </li>
  );
});

/** The menu as plain forms and a link: what the page offers before (or without) JavaScript. */
function MenuWithoutScript({
  chatId,
  title,
  pinned,
  redirectTo,
}: {
  chatId: string;
  title: string;
  pinned: boolean;
  redirectTo: string;
}) {
  const action = `/chats/${chatId}`;
  return (
    <>
      <form method="post" action={action} className="menu-popover__form">
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <label className="visually-hidden" htmlFor={`rename-${chatId}`}>
          New name for {title}
        </label>
        <input
          id={`rename-${chatId}`}
          name="title"
          defaultValue={title}
          maxLength={TITLE_INPUT_MAX_CHARS}
          required
          className="text-input"
        />
        <button type="submit" className="button button--small">
          Rename
        </button>
      </form>
      <PlacementMenuItems chatId={chatId} pinned={pinned} hydrated={false} redirectTo={redirectTo} />
      <a
        href={`${action}/delete`}
        className="menu-popover__item menu-popover__item--danger"
        data-discover="true"
      >
        Delete…
      </a>
    </>
  );
}

/** `onCancel(true)` for Esc (focus returns to the chat), `onCancel(false)` when focus moved elsewhere. */
function RenameInput({
  defaultValue,
  onCancel,
  label,
}: {
  defaultValue: string;
  onCancel: (byKeyboard: boolean) => void;
  label: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <input
      ref={input}
      name="title"
      aria-label={label}
      defaultValue={defaultValue}
      maxLength={TITLE_INPUT_MAX_CHARS}
      required
      className="text-input chat-item__rename-input"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onCancel(true);
        }
      }}
      onBlur={(event) => {
        const value = event.currentTarget.value.trim();
        if (value && value !== defaultValue) event.currentTarget.form?.requestSubmit();
        else onCancel(false);
      }}
    />
  );
}

/** The link of the chat listed after this one, or before it when it is the last. */
function neighbourLink(ownLink: HTMLAnchorElement | null): HTMLAnchorElement | null {
  const row = ownLink?.closest("li");
  const neighbour = row?.nextElementSibling ?? row?.previousElementSibling;
  return neighbour?.querySelector<HTMLAnchorElement>("a.chat-item__link") ?? null;
}

function DotsIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="3" cy="8" r="1.5" fill="currentColor" />
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
      <circle cx="13" cy="8" r="1.5" fill="currentColor" />
    </svg>
  );
}
