import type { BranchPage } from "#db/repositories/branches";
import type { ChatPage } from "#db/repositories/chats";
import type { ChatRow, MessageRow, ProjectRow } from "#db/schema";

/**
 * The Dates of a cached value, back from the ISO strings JSON made of them: one function per
 * shape the hot store holds, each touching only that shape's date fields. They change the
 * value they are given (it was just parsed, and nothing else holds it) and return it.
 */
type Dated = Record<string, unknown>;

function dates(row: Dated, fields: readonly string[]): void {
  for (const field of fields) {
    const value = row[field];
    if (typeof value === "string") row[field] = new Date(value);
  }
}

const CHAT_DATES = ["created_at", "updated_at", "pinned_at", "archived_at"] as const;
const MESSAGE_DATES = ["created_at", "updated_at", "chosen_at"] as const;
const PROJECT_DATES = ["created_at", "updated_at"] as const;

export function reviveChat<T extends ChatRow | null | undefined>(chat: T): T {
  if (chat) dates(chat as unknown as Dated, CHAT_DATES);
  return chat;
}

export function reviveChats(chats: ChatRow[]): ChatRow[] {
  for (const chat of chats) reviveChat(chat);
  return chats;
}

export function reviveChatPage(page: ChatPage): ChatPage {
  reviveChats(page.chats);
  if (page.next) dates(page.next as unknown as Dated, ["updatedAt"]);
  return page;
}

export function reviveBranchPage<T extends BranchPage | null>(page: T): T {
  if (!page) return page;
  for (const message of page.messages) dates(message as MessageRow as unknown as Dated, MESSAGE_DATES);
  if (page.before) dates(page.before as unknown as Dated, ["createdAt"]);
  return page;
}

export function reviveProjects(projects: ProjectRow[]): ProjectRow[] {
  for (const project of projects) dates(project as unknown as Dated, PROJECT_DATES);
  return projects;
}
