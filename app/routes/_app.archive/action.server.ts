import type { ActionFunctionArgs } from "@remix-run/node";
import { bulkChatsSchema } from "#app/lib/forms";
import { done, parseForm, readForm } from "#app/lib/http.server";
import { archiveAllChats, deleteAllChats } from "#app/services/chat-placement.server";
import { readyRuntime } from "#app/services/runtime.server";
import { getUserId } from "#app/services/visitor.server";

/**
 * The archive view's bulk actions, posted from their confirmation page (/archive/confirm).
 * They name no chat: each acts on the visitor's own chats, so there is no one else's to reach.
 */
export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request);
  const input = parseForm(bulkChatsSchema, form);
  if (!input.success) return input.response;
  const userId = await getUserId(runtime, request);
  if (input.data.intent === "archive-all") {
    const count = await archiveAllChats(runtime, userId);
    return done(form, `/archive?done=archived-all&count=${count}`);
  }
  const count = await deleteAllChats(runtime, userId);
  return done(form, `/archive?done=deleted-all&count=${count}`);
}
