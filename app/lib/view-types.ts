/**
 * What loaders hand to components: plain, serialisable shapes. Database rows never reach a
 * component (their columns are the repository's business).
 */
export interface ChatSummary {
  id: string;
  title: string;
  /** ISO timestamp of the latest activity. */
  updatedAt: string;
  projectId: string | null;
}

export type MessageStatus = "complete" | "pending" | "error" | "stopped" | "interrupted";

export interface MessageView {
  id: string;
  role: "user" | "assistant" | "system";
  content: string;
  status: MessageStatus;
  clientId: string | null;
  error: string | null;
  model: string | null;
  createdAt: string;
  /** An assistant message's content rendered to safe HTML by the server; null for the person's messages. */
  html: string | null;
}

export interface ChatView {
  id: string;
  title: string;
  model: string | null;
  projectId: string | null;
  pinned: boolean;
  archived: boolean;
}

/** A chat in the archive view. */
export interface ArchivedChatSummary {
  id: string;
  title: string;
  /** ISO timestamp of when it was archived. */
  archivedAt: string;
}

export interface ProjectView {
  id: string;
  name: string;
  icon: string;
  instructions: string;
}
