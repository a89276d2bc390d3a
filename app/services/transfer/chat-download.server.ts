import { canonicalPageId } from "#app/lib/canonical-url.server";
import { readyRuntime } from "#app/services/runtime.server";
import { getUserId } from "#app/services/visitor.server";
import { downloadResponse, fileNamesFor } from "./download.server";
import { chatExport, chatMarkdown } from "./export.server";

/** GET /chats/<id>/export.md and .json: one of the visitor's chats as a download; anyone else's is a 404. */
export async function chatDownload(request: Request, rawChatId: string | undefined, kind: "md" | "json") {
  const runtime = await readyRuntime();
  const chatId = canonicalPageId(request, rawChatId);
  const userId = chatId ? await getUserId(runtime, request) : null;
  const chat = chatId && userId ? await runtime.transfers.getChat(userId, chatId) : undefined;
  if (!chat || !userId) throw new Response("This chat does not exist, or it is not yours.", { status: 404 });
  const names = fileNamesFor(chat.title, kind);
  return kind === "md"
    ? downloadResponse(chatMarkdown(runtime, userId, chat), {
        contentType: "text/markdown; charset=utf-8",
        ...names,
      })
    : downloadResponse(chatExport(runtime, userId, chat), {
        contentType: "application/json; charset=utf-8",
        ...names,
      });
}
