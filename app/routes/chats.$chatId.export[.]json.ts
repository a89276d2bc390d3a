import type { LoaderFunctionArgs } from "@remix-run/node";
import { chatDownload } from "#app/services/transfer/chat-download.server";

/** GET /chats/<id>/export.json: the chat as a Parley JSON document, importable like a full export. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return chatDownload(request, params.chatId, "json");
}
