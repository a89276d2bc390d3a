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
  /** The person's text; for a reply only while it is pending (a finished one is shown by `html`), else "". */
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

/** A shared link's page: a copy of a chat, its replies already rendered to safe HTML. */
export interface SharedLinkPage {
  title: string;
  /** ISO timestamp of the moment it was shared. */
  sharedAt: string;
  messages: Array<{
    id: string;
    role: MessageView["role"];
    /** The person's text; empty for a reply, whose `html` is shown instead. */
    content: string;
    html: string | null;
  }>;
  /** Changes only when what the page shows changes (an HTTP entity tag, quotes included). */
  etag: string;
}

/** A shared link in its owner's list (the link itself is shown only once, when made). */
export interface SharedLinkSummaryView {
  id: string;
  chatId: string;
  title: string;
  messageCount: number;
  createdAt: string;
}
