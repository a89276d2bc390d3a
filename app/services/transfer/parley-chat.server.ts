import type { ImportedChat } from "#db/repositories/chat-import";
import { canonicalId } from "#db/ids";
import { deriveTitle } from "#app/lib/title";
import { cleanTitle, issueText } from "./chatgpt-conversation.server";
import { ImportFileError } from "./import-error.server";
import { exportedChatSchema } from "./parley-format.server";
import { orderTree } from "./parley-tree.server";

/**
 * One item of a Parley export's `chats` as a chat to import. Its messages keep their order and
 * times and their tree (parley-tree.server.ts), and the chat shows the branch it showed; a
 * reply that was still being written when the file was made arrives interrupted (no one is
 * writing it here).
 */
export function chatFromParleyExport(value: unknown, item: number): ImportedChat {
  const where = `Parley export: chat ${item}`;
  const parsed = exportedChatSchema.safeParse(value);
  if (!parsed.success) throw new ImportFileError(`${where}${issueText(parsed.error)}`);
  const chat = parsed.data;
  const inFile = chat.messages.map((message) => ({
    clientId: message.id,
    role: message.role,
    content: message.content,
    status: message.status === "pending" ? ("interrupted" as const) : message.status,
    model: message.model ?? null,
    error: message.error ?? null,
    createdAt: new Date(message.createdAt),
    parentId: message.parentId,
  }));
  const messages = orderTree(inFile, where);
  if (chat.activeLeafId && !messages.some((message) => message.clientId === chat.activeLeafId)) {
    throw new ImportFileError(`${where}: activeLeafId "${chat.activeLeafId}" is not a message of this chat.`);
  }
  const createdAt = new Date(chat.createdAt);
  const last = inFile[inFile.length - 1]?.createdAt;
  return {
    clientId: `parley:${chat.id}`,
    ownId: canonicalId(chat.id),
    title: cleanTitle(chat.title) ?? deriveTitle(messages.find((m) => m.role === "user")?.content ?? ""),
    titleSource: chat.titleSource,
    model: chat.model ?? null,
    createdAt,
    updatedAt: chat.updatedAt ? new Date(chat.updatedAt) : (last ?? createdAt),
    messages,
    // A file without a chosen leaf shows the branch ending at its last message.
    activeLeafClientId: chat.activeLeafId ?? inFile[inFile.length - 1]?.clientId ?? null,
  };
}
