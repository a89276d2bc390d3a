import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { Sidebar } from "#app/components/sidebar/Sidebar";
import { useLiveSync } from "#app/hooks/useLiveSync";
import { BadCursorError, sidebarPage } from "#app/services/chats.server";
import { pinnedChats } from "#app/services/chat-placement.server";
import { pageVersions } from "#app/services/page-versions.server";
import { listProjects } from "#app/services/projects.server";
import { unlessUnreachable } from "#app/lib/unreachable";
import { getUserId } from "#app/services/visitor.server";
import { readAccount } from "#app/services/account-summary.server";
import type { loader as chatLoader } from "#app/routes/_app.chats.$chatId/route";
import { useRootData } from "#app/lib/root-data";
import { canonicalId } from "#db/ids";
import { readyRuntime } from "#app/services/runtime.server";

export async function loader({ request, context, params: routeParams }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  const params = new URL(request.url).searchParams;
  const cursor = params.get("cursor");
  // Read once, with the open chat's version for its own loader: the chats and the projects
  // are both cached under the list version.
  const openChatId = canonicalId(routeParams.chatId) ?? undefined;
  const { list: listVersion } = await pageVersions(runtime, { request, context }, userId, openChatId);
  const accountRead = readAccount(runtime, userId, listVersion);
  // GUESTS=off: only accounts see the app (awaited before any other read starts, so none is left dangling).
  if (runtime.config.GUESTS === "off" && !(await accountRead)?.email) {
    const here = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(here.pathname + here.search)}`);
  }
  const projectsRead = listProjects(runtime, userId, listVersion);
  // The sidebar can show one project's chats; an unknown project id simply shows them all.
  // Without a filter (the usual case) the chats are read alongside the projects, so both
  // cache reads go to the hot store together.
  const requestedProject = params.get("project");
  const findProject = (projects: Awaited<typeof projectsRead>) =>
    projects.find((candidate) => candidate.id === requestedProject) ?? null;
  const pageRead = requestedProject
    ? projectsRead.then((projects) =>
        sidebarPage(runtime, userId, { cursor, projectId: findProject(projects)?.id, listVersion }),
      )
    : sidebarPage(runtime, userId, { cursor, listVersion });
  // Pinned chats head the first page only (a later page, without JavaScript, continues the day groups).
  const pinnedRead = cursor
    ? Promise.resolve([])
    : requestedProject
      ? projectsRead.then((projects) =>
          pinnedChats(runtime, userId, { projectId: findProject(projects)?.id, listVersion }),
        )
      : pinnedChats(runtime, userId, { listVersion });
  try {
    const [projects, page, account, pinned] = await Promise.all([
      projectsRead,
      pageRead,
      accountRead,
      pinnedRead,
    ]);
    return {
      ...page,
      pinned,
      isFirstPage: !cursor,
      projects,
      project: findProject(projects),
      email: account?.email ?? null,
      signupsOpen: runtime.config.SIGNUPS === "open",
    };
  } catch (error) {
    if (error instanceof BadCursorError)
      throw new Response("That page of chats does not exist.", { status: 400 });
    throw error;
  }
}

export const shouldRevalidate = unlessUnreachable;

/** Two panes: the chat list, and the open chat (or the new-chat composer). */
export default function ChatsLayout() {
  const data = useLoaderData<typeof loader>();
  const offline = useRootData()?.config.offline ?? false;
  const open = useRouteLoaderData<typeof chatLoader>("routes/_app.chats.$chatId");
  const { replyText } = useLiveSync({
    listVersion: data.listVersion,
    chatId: open?.chat.id,
    chatVersion: open?.version,
    pendingReplyId: open?.pendingReplyId ?? undefined,
  });
  return (
    <Shell
      sidebar={
        <Sidebar
          chats={data.chats}
          pinned={data.pinned}
          nextCursor={data.nextCursor}
          listVersion={data.listVersion}
          isFirstPage={data.isFirstPage}
          offline={offline}
          projects={data.projects}
          project={data.project}
          email={data.email}
          signupsOpen={data.signupsOpen}
        />
      }
    >
      <Outlet context={{ replyText }} />
    </Shell>
  );
}

/** The frame: on narrow screens the sidebar is a drawer, opened by a checkbox so it works without JavaScript. */
function Shell({ sidebar, children }: { sidebar: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="shell">
      <input
        type="checkbox"
        id="drawer-toggle"
        className="shell__toggle visually-hidden"
        aria-label="Show chats"
      />
      {/* eslint-disable-next-line jsx-a11y/label-has-associated-control -- the checkbox carries the name; this label is only its visible face */}
      <label htmlFor="drawer-toggle" className="shell__menu-button icon-button" aria-hidden="true">
        <svg width="20" height="20" viewBox="0 0 20 20" focusable="false">
          <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </label>
      {/* eslint-disable-next-line jsx-a11y/label-has-associated-control -- a click target behind the drawer, hidden from assistive technology */}
      <label htmlFor="drawer-toggle" className="shell__scrim" aria-hidden="true" />
      <div className="shell__sidebar">{sidebar}</div>
      <div className="shell__main">{children}</div>
    </div>
  );
}

/** The layout itself failed, so there is no sidebar to keep: the panel stands alone, like the root's. */
export function ErrorBoundary() {
  return <RouteErrorPanel />;
}
