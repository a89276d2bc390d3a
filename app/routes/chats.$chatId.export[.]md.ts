import type { LoaderFunctionArgs } from "@remix-run/node";
import { chatDownload } from "#app/services/transfer/chat-download.server";

/** GET /chats/<id>/export.md: the chat as Markdown. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return chatDownload(request, params.chatId, "md");
}
