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

/** Where a message stands among its versions (an edited question, a regenerated reply). */
export interface MessageVersions {
  /** 1-based: "2 / 3". */
  position: number;
  count: number;
  previousId: string | null;
  nextId: string | null;
}

export interface MessageView {
  id: string;
  /** The message this one follows on its branch; null for the chat's first. */
  parentId: string | null;
  role: "user" | "assistant" | "system";
  content: string;
  status: MessageStatus;
  clientId: string | null;
  error: string | null;
  model: string | null;
  createdAt: string;
  /** An assistant message's content rendered to safe HTML by the server; null for the person's messages. */
  html: string | null;
  /** Null when the message has no other version. */
  versions: MessageVersions | null;
}

export interface ChatView {
  id: string;
  title: string;
  model: string | null;
  projectId: string | null;
}

export interface ProjectView {
  id: string;
  name: string;
  icon: string;
  instructions: string;
}
