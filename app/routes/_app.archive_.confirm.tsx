import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { bulkChatsSchema } from "#app/lib/forms";
import { chatCounts } from "#app/services/chat-placement.server";
import { readyRuntime } from "#app/services/runtime.server";
import { getUserId } from "#app/services/visitor.server";

/**
 * "Archive all chats?" and "Delete all chats?": a page, so the confirmation works with and
 * without JavaScript alike. Confirming posts to the archive view's action; Cancel goes back.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const parsed = bulkChatsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("There is no such action.", { status: 400 });
  const counts = await chatCounts(runtime, await getUserId(runtime, request));
  return { intent: parsed.data.intent, ...counts };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.intent === "delete-all" ? "Delete" : "Archive"} all chats · Parley` },
];

const plural = (count: number) => (count === 1 ? "1 chat" : `${count.toLocaleString("en")} chats`);

export default function ConfirmBulk() {
  const { intent, all, archived } = useLoaderData<typeof loader>();
  const deleting = intent === "delete-all";
  const inSidebar = all - archived;
  return (
    <main className="confirm-page" aria-labelledby="confirm-title">
      <h1 id="confirm-title">{deleting ? "Delete all chats?" : "Archive all chats?"}</h1>
      <p>
        {deleting
          ? `All your chats (${plural(all)}, ${archived.toLocaleString("en")} of them archived) and every message in them will be deleted, and any reply being written is stopped. This cannot be undone.`
          : `The ${plural(inSidebar)} in your sidebar, pinned ones too, will move to the archive. You can restore them from there.`}
      </p>
      <div className="dialog__actions">
        <Link to="/archive" className="button">
          Cancel
        </Link>
        <Form method="post" action="/archive">
          <input type="hidden" name="intent" value={intent} />
          <button type="submit" className={`button ${deleting ? "button--danger" : "button--primary"}`}>
            {deleting ? "Delete all chats" : "Archive all chats"}
          </button>
        </Form>
      </div>
    </main>
  );
}
