import { uuidv7 } from "#db/ids";
import type { NewMessage } from "#db/repositories/messages";
import { decodeCursor, encodeCursor } from "#app/lib/cursor";
import { deriveTitle } from "#app/lib/title";
import type { ChatSummary, ChatView, MessageView } from "#app/lib/view-types";
import { startReply } from "./assistant/assistant.server";
import type { Runtime } from "./runtime.server";
import { toChatSummary, toChatView, toMessageView } from "./views.server";

/** A malformed cursor in a URL: the route answers 400. */
export class BadCursorError extends Error {}

export interface SidebarPage {
  chats: ChatSummary[];
  nextCursor: string | null;
  listVersion: number;
}

/** The version of the user's chat list (0 before their first write). */
async function listVersionOf(runtime: Runtime, userId: string | null): Promise<number> {
  if (!userId) return 0;
  return (await runtime.chats.versions(userId)).list;
}

/**
 * A page of the sidebar: the first (cached) or the one after `cursor`. Pass `listVersion`
 * when the caller has read it already (the layout reads it once for chats and projects).
 */
export async function sidebarPage(
  runtime: Runtime,
  userId: string | null,
  options: { cursor?: string | null; projectId?: string; listVersion?: number } = {},
): Promise<SidebarPage> {
  if (!userId) return { chats: [], nextCursor: null, listVersion: 0 };
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  if (after === null) throw new BadCursorError("Invalid cursor");
  const listVersion = options.listVersion ?? (await listVersionOf(runtime, userId));
  const page = await runtime.chats.listChats(userId, {
    limit: runtime.config.CHAT_PAGE_SIZE,
    after: after ? { updatedAt: after.at, id: after.id } : undefined,
    projectId: options.projectId,
    listVersion,
  });
  return {
    chats: page.chats.map(toChatSummary),
    nextCursor: page.next ? encodeCursor(page.next.updatedAt, page.next.id) : null,
    listVersion,
  };
}

export interface OpenChat {
  chat: ChatView;
  /** Oldest first. */
  messages: MessageView[];
  /** Cursor for "Show earlier", when there is more. */
  earlierCursor: string | null;
  version: number;
}

/**
 * A chat with the newest messages of its visible branch (or, with `before`, the ones before
 * them on that branch), or null when it is not the user's. Pass `knownVersion` when the chat's version has been read already (see page-versions).
 */
export async function openChat(
  runtime: Runtime,
  userId: string | null,
  chatId: string,
  before?: string | null,
  knownVersion?: number | null,
): Promise<OpenChat | null> {
  if (!userId) return null;
  const cursor = before ? decodeCursor(before) : undefined;
  if (cursor === null) throw new BadCursorError("Invalid cursor");
  const limit = runtime.config.MESSAGE_PAGE_SIZE;
  const window = await runtime.chats.chatWindow(userId, chatId, limit, knownVersion);
  if (!window) return null;
  const { chat, version } = window;
  const page = cursor
    ? await runtime.chats.listMessages(userId, chatId, {
        limit,
        before: { createdAt: cursor.at, id: cursor.id },
      })
    : window.page;
  if (!page) throw new BadCursorError("Unknown cursor");
  return {
    chat: toChatView(chat),
    messages: page.messages.map(toMessageView).reverse(),
    earlierCursor: page.before ? encodeCursor(page.before.createdAt, page.before.id) : null,
    version,
  };
}

function userMessage(content: string, clientId: string): NewMessage {
  return { id: uuidv7(), chatId: "", role: "user", content, status: "complete", clientId };
}

function pendingReply(model: string | null): NewMessage {
  return {
    id: uuidv7(),
    chatId: "",
    role: "assistant",
    content: "",
    status: "pending",
    clientId: null,
    model,
  };
}

/** Creates a chat from its first message, starts the reply, and resolves the chat's id. */
export async function startChat(
  runtime: Runtime,
  userId: string,
  input: { content: string; clientId: string; projectId?: string | null },
): Promise<string> {
  const chatId = uuidv7();
  // Ids sort by creation: the person's message must be made before the reply.
  const message = userMessage(input.content, input.clientId);
  const reply = pendingReply(null);
  const created = await runtime.chats.createChat(
    {
      id: chatId,
      userId,
      title: deriveTitle(input.content),
      titleSource: "derived",
      projectId: input.projectId ?? null,
      clientId: input.clientId,
    },
    [message, reply],
  );
  // The same form posted twice opens the chat the first post created.
  if (!created.created) return created.chat.id;
  await startReply(runtime, userId, chatId, reply.id);
  return chatId;
}

export type SendOutcome = "sent" | "duplicate" | "busy" | "not-found";

/** Appends the person's message and a pending reply, then starts the reply. Idempotent on the client id. */
export async function sendMessage(
  runtime: Runtime,
  userId: string,
  chatId: string,
  input: { content: string; clientId: string },
): Promise<SendOutcome> {
  // Ids sort by creation: the person's message must be made before the reply.
  const message = userMessage(input.content, input.clientId);
  const reply = pendingReply(null);
  const outcome = await runtime.chats.appendMessages(userId, chatId, [message, reply]);
  if (outcome.kind !== "appended") return outcome.kind === "duplicate" ? "duplicate" : outcome.kind;
  await startReply(runtime, userId, chatId, reply.id);
  return "sent";
}

export async function renameChat(
  runtime: Runtime,
  userId: string,
  chatId: string,
  title: string,
): Promise<boolean> {
  return (await runtime.chats.renameChat(userId, chatId, title, "user")) !== undefined;
}

export async function deleteChat(runtime: Runtime, userId: string, chatId: string): Promise<boolean> {
  return runtime.chats.deleteChat(userId, chatId);
}

/**
 * The `before` cursor of the page of the chat's messages that shows `messageId` in its context
 * (a search result opened at its message): null when the newest page shows it; undefined when
 * it is not on the visible branch of this chat of the user's.
 */
export async function pageStartAt(
  runtime: Runtime,
  userId: string | null,
  chatId: string,
  messageId: string,
  newer: number,
): Promise<string | null | undefined> {
  if (!userId) return undefined;
  const start = await runtime.chats.pageStartAround(userId, chatId, messageId, newer);
  return start ? encodeCursor(start.createdAt, start.id) : start;
}

/**
 * Shows another version of a message, with the continuation last chosen under it. Refused
 * ("busy") while a reply is being written.
 */
export async function showVersion(
  runtime: Runtime,
  userId: string,
  chatId: string,
  messageId: string,
): Promise<"shown" | "busy" | "not-found"> {
  return (await runtime.chats.showVersion(userId, chatId, messageId)).kind;
}
