import { Form, Link, useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ActionResult } from "#app/lib/action-result";
import { TITLE_INPUT_MAX_CHARS } from "#app/lib/message-rules";
import { placeFetcherKey, type PlaceIntent } from "#app/lib/sidebar-placement";
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
  /**
   * Reports a refused rename or delete to the sidebar, which shows it: the row itself may
   * be gone by then (a chat deleted in another tab vanishes with the same revalidation).
   */
  onRefused: (message: string) => void;
  /** Called when the chat is being pinned or unpinned: it moves to the other group. */
  onMoved: (chatId: string, pinned: boolean) => void;
}

/**
 * One chat in the sidebar, with its menu. Without JavaScript the menu holds a rename form and
 * a link to a confirmation page; with it, rename happens in place and delete asks in a dialog,
 * both shown at once and undone, with the reason, if the server refuses.
 */
export function ChatListItem({
  chat,
  pinned,
  active,
  hydrated,
  search,
  onRefused,
  onMoved,
}: ChatListItemProps) {
  const location = useLocation();
  const rename = useFetcher<ActionResult>({ key: `rename:${chat.id}` });
  const remove = useFetcher<ActionResult>({ key: `delete:${chat.id}` });
  // Shared by key with the sidebar (which moves the chat while it is in flight) and the chat page's banner.
  const placement = useFetcher<ActionResult>({ key: placeFetcherKey(chat.id) });
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
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

  const pendingTitle = rename.formData?.get("title");
  const title = typeof pendingTitle === "string" && pendingTitle.trim() ? pendingTitle.trim() : chat.title;
  const deleting = remove.state !== "idle";
  useEffect(() => {
    if (rename.data && !rename.data.ok) onRefused(rename.data.error);
  }, [rename.data, onRefused]);
  useEffect(() => {
    if (remove.data && !remove.data.ok) onRefused(remove.data.error);
  }, [remove.data, onRefused]);
  useEffect(() => {
    if (placement.data && !placement.data.ok) onRefused(placement.data.error);
  }, [placement.data, onRefused]);

  if (deleting) return null;

  const closeMenu = () => menu.current?.removeAttribute("open");
  const action = `/chats/${chat.id}`;
  const place = (intent: PlaceIntent) => {
    closeMenu();
    // Archived, the row goes: keep the keyboard's place on a neighbouring chat. Pinned or
    // unpinned, it is drawn anew in the other group, where the sidebar puts the focus back.
    if (intent === "archive") setFocusNext(neighbourLink(link.current));
    else onMoved(chat.id, intent === "pin");
    placement.submit({ intent, via: "fetcher" }, { method: "post", action });
  };

  return (
    <li className={`chat-item${active ? " chat-item--active" : ""}`}>
      {editing ? (
        <rename.Form
          method="post"
          action={action}
          className="chat-item__rename"
          onSubmit={() => {
            setEditing(false);
            setFocusNext("link");
          }}
        >
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="via" value="fetcher" />
          <RenameInput
            defaultValue={title}
            onCancel={(byKeyboard) => {
              setEditing(false);
              if (byKeyboard) setFocusNext("link");
            }}
            label={`New name for ${title}`}
          />
        </rename.Form>
      ) : (
        <Link
          ref={link}
          to={action + search}
          className="chat-item__link"
          aria-current={active ? "page" : undefined}
        >
          <span className="chat-item__title">{title}</span>
        </Link>
      )}
      {!editing ? (
        <details className="chat-item__menu" ref={menu}>
          <summary ref={summary} className="icon-button" aria-label={`Options for ${title}`} title="Options">
            <DotsIcon />
          </summary>
          <div className="menu-popover">
            {hydrated ? (
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
                  redirectTo={location.pathname + location.search}
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
            ) : (
              <>
                <Form method="post" action={action} className="menu-popover__form">
                  <input type="hidden" name="intent" value="rename" />
                  <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
                  <label className="visually-hidden" htmlFor={`rename-${chat.id}`}>
                    New name for {title}
                  </label>
                  <input
                    id={`rename-${chat.id}`}
                    name="title"
                    defaultValue={title}
                    maxLength={TITLE_INPUT_MAX_CHARS}
                    required
                    className="text-input"
                  />
                  <button type="submit" className="button button--small">
                    Rename
                  </button>
                </Form>
                <PlacementMenuItems
                  chatId={chat.id}
                  pinned={pinned}
                  hydrated={false}
                  redirectTo={location.pathname + location.search}
                  place={place}
                />
                <Link to={`${action}/delete`} className="menu-popover__item menu-popover__item--danger">
                  Delete…
                </Link>
              </>
            )}
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
            if (!active) setFocusNext(neighbourLink(link.current));
            const form = new FormData();
            form.set("intent", "delete");
            if (active) form.set("redirectTo", "/chats");
            else form.set("via", "fetcher");
            remove.submit(form, { method: "post", action });
          }}
        />
      ) : null}
    </li>
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
