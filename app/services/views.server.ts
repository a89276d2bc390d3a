import type { Siblings } from "#db/repositories/branches";
import type { ChatRow, MessageRow, ProjectRow } from "#db/schema";
import { renderMarkdownHtml } from "./markdown.server";
import type {
  ArchivedChatSummary,
  ChatSummary,
  ChatView,
  MessageView,
  ProjectView,
} from "#app/lib/view-types";

export const toChatSummary = (chat: ChatRow): ChatSummary => ({
  id: chat.id,
  title: chat.title,
  updatedAt: chat.updated_at.toISOString(),
  projectId: chat.project_id,
});

export const toChatView = (chat: ChatRow): ChatView => ({
  id: chat.id,
  title: chat.title,
  model: chat.model,
  projectId: chat.project_id,
  // `!= null`: a header cached before these columns existed has neither field.
  pinned: chat.pinned_at != null,
  archived: chat.archived_at != null,
});

export const toArchivedChatSummary = (chat: ChatRow): ArchivedChatSummary => ({
  id: chat.id,
  title: chat.title,
  archivedAt: (chat.archived_at ?? chat.updated_at).toISOString(),
});

export const toMessageView = (message: MessageRow & { siblings?: Siblings }): MessageView => ({
  id: message.id,
  parentId: message.parent_id,
  role: message.role,
  // One copy of each message in the page's data: a reply travels as its HTML, and its Markdown
  // only while it is being written (the live text is measured against it). Nothing in the
  // browser reads a finished reply's Markdown; exports read it from the database.
  content: message.role === "assistant" && message.status !== "pending" ? "" : message.content,
  status: message.status,
  clientId: message.client_id,
  error: message.error,
  model: message.model,
  createdAt: message.created_at.toISOString(),
  html: message.role === "assistant" && message.content ? renderMarkdownHtml(message.content) : null,
  versions: message.siblings && message.siblings.count > 1 ? message.siblings : null,
});

export const toProjectView = (project: ProjectRow): ProjectView => ({
  id: project.id,
  name: project.name,
  icon: project.icon,
  instructions: project.instructions,
});
