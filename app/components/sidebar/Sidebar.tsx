import { Link, NavLink, useLocation, useParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useHydrated } from "#app/hooks/useHydrated";
import { useRefusalNotice } from "#app/hooks/useRefusalNotice";
import { usePendingSubmissions } from "#app/hooks/usePendingSubmissions";
import { useSidebarPages } from "#app/hooks/useSidebarPages";
import { placeOptimistically } from "#app/lib/sidebar-placement";
import { groupByTime } from "#app/lib/time-groups";
import type { ChatSummary, ProjectView } from "#app/lib/view-types";
import { AccountBar } from "./AccountBar";
import { ChatListItem } from "./ChatListItem";
import { useChatActions } from "./useChatActions";
import { ProjectList } from "./ProjectList";

interface SidebarProps {
  chats: ChatSummary[];
  /** The pinned group, shown above the day groups (empty on later pages). */
  pinned: ChatSummary[];
  nextCursor: string | null;
  listVersion: number;
  /** True when this page shows the first page (no cursor in the URL). */
  isFirstPage: boolean;
  offline: boolean;
  projects: ProjectView[];
  /** The project the list is filtered to, if any. */
  project: ProjectView | null;
  /** The signed-in account's email; null for a guest. */
  email: string | null;
  signupsOpen: boolean;
}

/** The chat list: pinned chats first, then newest activity first, grouped by day, paged by keyset cursor. */
export function Sidebar({
  chats,
  pinned,
  nextCursor,
  listVersion,
  isFirstPage,
  offline,
  projects,
  project,
  email,
  signupsOpen,
}: SidebarProps) {
  const hydrated = useHydrated();
  const { chatId } = useParams();
  const pages = useSidebarPages({ chats, nextCursor, listVersion, projectId: project?.id ?? null });
  const filter = project ? `project=${project.id}` : "";
  const more = hydrated ? pages.nextCursor : nextCursor;
  const pending = usePendingSubmissions();
  const location = useLocation();
  // A chat being deleted leaves the list at once.
  const kept = (chat: ChatSummary) => !pending.deleting.has(chat.id);
  const placed = placeOptimistically(
    pinned.filter(kept),
    (hydrated ? pages.chats : chats).filter(kept),
    pending.placements,
    !more,
  );
  const shown = placed.listed;
  // Day headings depend on the viewer's clock: the server renders with its own, the browser
  // regroups in local time once it has taken over.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => setNow(new Date()), [listVersion]);
  const groups = groupByTime(shown, (chat) => new Date(chat.updatedAt), now);
  // A chat pinned or unpinned from its menu is a new element in the other group: the focus
  // follows it there once drawn (not at all if it moved past the loaded pages).
  const scroll = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState<{ chatId: string; pinned: boolean } | null>(null);
  const onMoved = useCallback(
    (chatId: string, toPinned: boolean) => setFollow({ chatId, pinned: toPinned }),
    [],
  );
  useEffect(() => {
    if (!follow) return;
    const group = follow.pinned ? ".chat-group--pinned" : ".chat-group:not(.chat-group--pinned)";
    const target = scroll.current?.querySelector<HTMLElement>(
      `${group} a.chat-item__link[href^="/chats/${follow.chatId}"]`,
    );
    if (target) {
      target.focus();
      setFollow(null);
    }
    // The pinned group's size changes when the chat has moved (optimistically, or on revalidation).
  }, [follow, placed.pinned.length]);
  // A row archived or deleted leaves the list: the focus goes to its neighbour once it has.
  const [leftFocus, setLeftFocus] = useState<HTMLElement | null>(null);
  useEffect(() => {
    leftFocus?.focus();
  }, [leftFocus]);
  const { refusal, onRefused } = useRefusalNotice();
  const { actions, watchers } = useChatActions(onRefused);

  return (
    <nav className="sidebar" aria-label="Chats">
      <div className="sidebar__header">
        {/* The name holds the visible text, "Parley" (WCAG 2.5.3 label in name); the letter in the
            mark is drawn by CSS, as decoration, so it is not text the name would have to hold. */}
        <Link to="/chats" className="brand" aria-label="Parley, new chat">
          <span className="brand__mark" aria-hidden="true" />
          <span className="brand__name">Parley</span>
        </Link>
        <NavLink
          to={project ? `/chats?${filter}` : "/chats"}
          end
          className="button button--primary sidebar__new"
        >
          <PlusIcon /> {project ? `New chat in ${project.name}` : "New chat"}
        </NavLink>
        <NavLink to="/search" className="button button--ghost sidebar__search">
          <SearchIcon /> Search chats
        </NavLink>
      </div>
      <div className="sidebar__scroll" ref={scroll}>
        {refusal ? (
          <p className="sidebar__error sidebar__error--notice" role="alert">
            {refusal}
          </p>
        ) : null}
        <ProjectList projects={projects} active={project} />
        {!isFirstPage ? (
          <Link to={project ? `/chats?${filter}` : "/chats"} className="sidebar__back">
            ← Newest chats
          </Link>
        ) : null}
        {shown.length === 0 && placed.pinned.length === 0 ? (
          <p className="sidebar__empty">
            {project ? `No chats in ${project.name} yet.` : "No chats yet. Start one with “New chat”."}
          </p>
        ) : (
          [...(placed.pinned.length > 0 ? [{ group: "Pinned", items: placed.pinned }] : []), ...groups].map(
            ({ group, items }) => (
              <section
                key={group}
                className={`chat-group${group === "Pinned" ? " chat-group--pinned" : ""}`}
                aria-label={group}
              >
                <h2 className="chat-group__title">
                  {group === "Pinned" ? <PinIcon /> : null}
                  {group}
                </h2>
                <ul className="chat-group__list">
                  {items.map((chat) => (
                    <ChatListItem
                      key={chat.id}
                      chat={chat}
                      pinned={group === "Pinned"}
                      active={chat.id === chatId}
                      hydrated={hydrated}
                      search={filter ? `?${filter}` : ""}
                      redirectTo={location.pathname + location.search}
                      pendingTitle={pending.titles.get(chat.id)}
                      actions={actions}
                      onMoved={onMoved}
                      onLeaving={setLeftFocus}
                    />
                  ))}
                </ul>
              </section>
            ),
          )
        )}
        {more ? (
          <Link
            to={`/chats?cursor=${encodeURIComponent(more)}${filter ? `&${filter}` : ""}`}
            className="sidebar__more"
            onClick={(event) => {
              if (!hydrated) return;
              event.preventDefault();
              void pages.loadMore(more);
            }}
            aria-busy={pages.loading || undefined}
          >
            {pages.loading ? "Loading…" : "Load more"}
          </Link>
        ) : null}
        {pages.error ? (
          <p className="sidebar__error" role="alert">
            {pages.error}
          </p>
        ) : null}
      </div>
      <NavLink to="/archive" className="sidebar__archive">
        <ArchiveIcon /> Archived chats
      </NavLink>
      <AccountBar email={email} signupsOpen={signupsOpen} />
      {watchers}
      {offline ? (
        <p className="sidebar__footer">
          <span className="badge">Offline demo</span> No model is connected: replies repeat and summarise what
          you wrote.
        </p>
      ) : null}
    </nav>
  );
}

function PlusIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function PinIcon() {
  return (
    <svg
      className="chat-group__icon"
      width="12"
      height="12"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M10.5 1.5l4 4-2.2.9-2.6 2.6.3 3.5-1.5 1.5L5.6 11 2 14.6 1.4 14 5 10.4 2 7.5 3.5 6l3.5.3 2.6-2.6z"
        fill="currentColor"
      />
    </svg>
  );
}

function ArchiveIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M2 3.5h12v3H2zM3 6.5v6.5h10V6.5M6.5 9h3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}

function SearchIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
