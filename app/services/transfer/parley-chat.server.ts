import type { ImportedChat } from "#db/repositories/chat-import";
import { canonicalId } from "#db/ids";
import { deriveTitle } from "#app/lib/title";
import { cleanTitle, issueText } from "./chatgpt-conversation.server";
import { ImportFileError } from "./import-error.server";
import { exportedChatSchema } from "./parley-format.server";

/**
 * One item of a Parley export's `chats` as a chat to import. Its messages keep their order and
 * times; a reply that was still being written when the file was made arrives interrupted (no
 * one is writing it here). `parentId` is read but not kept yet: the messages are imported in
 * file order, as one line.
 */
export function chatFromParleyExport(value: unknown, item: number): ImportedChat {
  const where = `Parley export: chat ${item}`;
  const parsed = exportedChatSchema.safeParse(value);
  if (!parsed.success) throw new ImportFileError(`${where}${issueText(parsed.error)}`);
  const chat = parsed.data;
  const messages = chat.messages.map((message) => ({
    clientId: message.id,
    role: message.role,
    content: message.content,
    status: message.status === "pending" ? ("interrupted" as const) : message.status,
    model: message.model ?? null,
    error: message.error ?? null,
    createdAt: new Date(message.createdAt),
  }));
  const createdAt = new Date(chat.createdAt);
  const last = messages[messages.length - 1]?.createdAt;
  return {
    clientId: `parley:${chat.id}`,
    ownId: canonicalId(chat.id),
    title: cleanTitle(chat.title) ?? deriveTitle(messages.find((m) => m.role === "user")?.content ?? ""),
    titleSource: chat.titleSource,
    model: chat.model ?? null,
    createdAt,
    updatedAt: chat.updatedAt ? new Date(chat.updatedAt) : (last ?? createdAt),
    messages,
  };
}
