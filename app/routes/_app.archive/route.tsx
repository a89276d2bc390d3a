import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { useHydrated } from "#app/hooks/useHydrated";
import { useRefusalNotice } from "#app/hooks/useRefusalNotice";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { archivePage } from "#app/services/chat-placement.server";
import { BadCursorError } from "#app/services/chats.server";
import { readyRuntime } from "#app/services/runtime.server";
import { getUserId } from "#app/services/visitor.server";
import { ArchivedChatItem } from "./ArchivedChatItem";

export { action } from "./action.server";

const doneSchema = z.object({
  done: z.enum(["archived-all", "deleted-all"]),
  count: z.coerce.number().int().min(0).max(1_000_000_000),
});

/** The archive view: archived chats, most recently archived first, paged by keyset cursor. */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  const params = new URL(request.url).searchParams;
  const cursor = params.get("cursor");
  try {
    const page = await archivePage(runtime, userId, cursor);
    const done = doneSchema.safeParse(Object.fromEntries(params));
    return { ...page, isFirstPage: !cursor, done: done.success ? done.data : null };
  } catch (error) {
    if (error instanceof BadCursorError)
      throw new Response("That page of archived chats does not exist.", { status: 400 });
    throw error;
  }
}

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export const meta: MetaFunction = () => [{ title: "Archived chats · Parley" }];

function doneNotice(done: z.infer<typeof doneSchema>): string {
  const chats = done.count === 1 ? "1 chat" : `${done.count.toLocaleString("en")} chats`;
  return done.done === "archived-all" ? `Archived ${chats}.` : `Deleted ${chats}.`;
}

export default function Archive() {
  const data = useLoaderData<typeof loader>();
  const hydrated = useHydrated();
  const { refusal, onRefused } = useRefusalNotice();

  return (
    <main className="page archive" aria-labelledby="archive-title">
      <h1 id="archive-title">Archived chats</h1>
      <p className="page__lead">
        Archived chats stay out of the sidebar. Open one to read or continue it, or restore it to the sidebar.
      </p>
      {data.done ? (
        <p className="account__notice" role="status">
          {doneNotice(data.done)}
        </p>
      ) : null}
      {refusal ? (
        <p className="sidebar__error sidebar__error--notice" role="alert">
          {refusal}
        </p>
      ) : null}
      {!data.isFirstPage ? (
        <Link to="/archive" className="sidebar__back archive__paging">
          ← Most recently archived
        </Link>
      ) : null}
      {data.chats.length === 0 ? (
        <p className="archive__empty">
          {data.isFirstPage
            ? "Nothing is archived. Choose Archive in a chat’s menu to move it here."
            : "No more archived chats."}
        </p>
      ) : (
        <ul className="archive__list" aria-label="Archived chats">
          {data.chats.map((chat) => (
            <ArchivedChatItem key={chat.id} chat={chat} hydrated={hydrated} onRefused={onRefused} />
          ))}
        </ul>
      )}
      {data.nextCursor ? (
        <Link
          to={`/archive?cursor=${encodeURIComponent(data.nextCursor)}`}
          className="sidebar__more archive__paging"
        >
          Older archived chats
        </Link>
      ) : null}

      <section className="danger-zone" aria-labelledby="all-chats-title">
        <h2 id="all-chats-title">All chats</h2>
        <p>Move every chat in the sidebar here at once, or delete every chat you have. Each asks first.</p>
        <p className="account__actions">
          <Link to="/archive/confirm?intent=archive-all" className="button">
            Archive all chats…
          </Link>
          <Link to="/archive/confirm?intent=delete-all" className="button button--danger">
            Delete all chats…
          </Link>
        </p>
      </section>
    </main>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel />;
}
