import type { ChatRow, MessageRow, ProjectRow } from "#db/schema";
import type { Runtime } from "#app/services/runtime.server";
import {
  PARLEY_FORMAT,
  PARLEY_FORMAT_VERSION,
  type ExportedChat,
  type ExportedMessage,
  type ExportedProject,
} from "./parley-format.server";

/**
 * Exports as streams of text, produced as they are read: the database is read in keyset
 * batches (db/repositories/export-reads.ts) only as fast as the client downloads, so a large
 * account costs no more memory than a small one. The response wraps them (download.server.ts).
 * The JSON exports carry each chat's whole tree (every version, each with its `parentId`, and
 * the chat's `activeLeafId`), so an import rebuilds the chat as it was; the Markdown export is
 * for reading, so it holds what the person sees: the visible branch.
 */

type TransferRuntime = Pick<Runtime, "transfers">;

/** Chats per batch of the full export. */
const CHAT_BATCH = 100;

/** Everything the user has, as one Parley JSON document (parley-format.server.ts). */
export async function* fullExport(runtime: TransferRuntime, userId: string | null): AsyncGenerator<string> {
  yield `{"format":${JSON.stringify(PARLEY_FORMAT)},"version":${PARLEY_FORMAT_VERSION},"exportedAt":${JSON.stringify(new Date().toISOString())},\n"projects":[`;
  const projects = userId ? await runtime.transfers.listProjects(userId) : [];
  yield projects.map((project) => `\n${JSON.stringify(toExportedProject(project))}`).join(",");
  yield `],\n"chats":[`;
  let afterId: string | undefined;
  let first = true;
  while (userId) {
    const batch = await runtime.transfers.chatsForExport(userId, { afterId, limit: CHAT_BATCH });
    for (const chat of batch) {
      yield first ? "\n" : ",\n";
      first = false;
      yield* chatJson(runtime, userId, chat);
    }
    if (batch.length < CHAT_BATCH) break;
    afterId = batch[batch.length - 1].id;
  }
  yield "\n]}\n";
}

/** One chat as a Parley JSON document (importable like a full export). */
export async function* chatExport(
  runtime: TransferRuntime,
  userId: string,
  chat: ChatRow,
): AsyncGenerator<string> {
  yield `{"format":${JSON.stringify(PARLEY_FORMAT)},"version":${PARLEY_FORMAT_VERSION},"exportedAt":${JSON.stringify(new Date().toISOString())},\n"projects":[],\n"chats":[\n`;
  yield* chatJson(runtime, userId, chat);
  yield "\n]}\n";
}

async function* chatJson(runtime: TransferRuntime, userId: string, chat: ChatRow): AsyncGenerator<string> {
  // The chat's fields as JSON, opened at "messages":[ so its messages can follow batch by batch.
  const head = JSON.stringify(toExportedChat(chat));
  yield head.slice(0, -"]}".length);
  let first = true;
  for await (const page of runtime.transfers.messagesForExport(userId, chat.id)) {
    yield (first ? "" : ",") + page.map((message) => JSON.stringify(toExportedMessage(message))).join(",");
    first = false;
  }
  yield "]}";
}

function toExportedChat(chat: ChatRow): ExportedChat {
  return {
    id: chat.id,
    title: chat.title,
    titleSource: chat.title_source,
    model: chat.model,
    projectId: chat.project_id,
    createdAt: chat.created_at.toISOString(),
    updatedAt: chat.updated_at.toISOString(),
    // Null for a chat whose pointer was never set: the import then shows its last message's branch.
    activeLeafId: chat.active_leaf_id,
    // Last: the chat is written up to "messages":[ and its messages streamed after it.
    messages: [],
  };
}

function toExportedMessage(message: MessageRow): ExportedMessage {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    status: message.status,
    model: message.model,
    error: message.error,
    createdAt: message.created_at.toISOString(),
    parentId: message.parent_id,
  };
}

function toExportedProject(project: ProjectRow): ExportedProject {
  return {
    id: project.id,
    name: project.name,
    icon: project.icon,
    instructions: project.instructions,
    createdAt: project.created_at.toISOString(),
  };
}

const ROLE_NAMES: Record<MessageRow["role"], string> = {
  user: "You",
  assistant: "Assistant",
  system: "System",
};

/**
 * One chat as Markdown: its title, then each message of its visible branch under a heading
 * naming who wrote it and when.
 */
export async function* chatMarkdown(
  runtime: TransferRuntime,
  userId: string,
  chat: ChatRow,
): AsyncGenerator<string> {
  yield `# ${chat.title}\n\n_Exported from Parley on ${utc(new Date())}. Started ${utc(chat.created_at)}._\n`;
  for await (const page of runtime.transfers.visibleBranchForExport(userId, chat.id)) {
    yield page.map(messageMarkdown).join("");
  }
}

function messageMarkdown(message: MessageRow): string {
  const who =
    message.role === "assistant" && message.model ? `Assistant (${message.model})` : ROLE_NAMES[message.role];
  const note =
    message.status === "complete"
      ? ""
      : `\n\n_(${message.status}${message.error ? `: ${message.error}` : ""})_`;
  return `\n## ${who} · ${utc(message.created_at)}\n\n${message.content.trim()}${note}\n`;
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
