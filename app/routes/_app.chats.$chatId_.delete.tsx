import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { openChat } from "#app/services/chats.server";
import { getUserId } from "#app/services/visitor.server";
import { canonicalPageId } from "#app/lib/canonical-url.server";
import { readyRuntime } from "#app/services/runtime.server";

/** Delete confirmation without JavaScript (with it, a dialog asks instead). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const chatId = canonicalPageId(request, params.chatId);
  const open = chatId ? await openChat(runtime, await getUserId(runtime, request), chatId) : null;
  if (!open) throw new Response("This chat does not exist, or it is not yours.", { status: 404 });
  // Asked from the archive view: Cancel and the deletion both go back there.
  const fromArchive = new URL(request.url).searchParams.get("from") === "archive";
  return { id: open.chat.id, title: open.chat.title, fromArchive };
}

export const meta: MetaFunction = () => [{ title: "Delete chat · Parley" }];

export default function ConfirmDelete() {
  const chat = useLoaderData<typeof loader>();
  return (
    <main className="confirm-page" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Delete chat?</h1>
      <p>“{chat.title}” and all its messages will be deleted. This cannot be undone.</p>
      <div className="dialog__actions">
        <Link to={chat.fromArchive ? "/archive" : `/chats/${chat.id}`} className="button">
          Cancel
        </Link>
        <Form method="post" action={`/chats/${chat.id}`}>
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="redirectTo" value={chat.fromArchive ? "/archive" : "/chats"} />
          <button type="submit" className="button button--danger">
            Delete
          </button>
        </Form>
      </div>
    </main>
  );
}
