import type { ColumnType, Generated, Selectable } from "kysely";

/** Timestamps are `timestamptz(3)`: millisecond precision, so they survive a round trip through a JS Date (keyset cursors depend on it). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type MessageRole = "user" | "assistant" | "system";
export type MessageStatus = "complete" | "pending" | "error" | "stopped" | "interrupted";
export type TitleSource = "derived" | "user" | "model";

export interface UsersTable {
  id: string;
  email: string | null;
  display_name: string | null;
  password_hash: string | null;
  is_guest: Generated<boolean>;
  /** Bumped in the same transaction as any change to the user's chat list. */
  list_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** The earlier of the idle and the absolute expiry; moved forward when the session is seen. */
  expires_at: Date;
  created_at: Timestamp;
  /** The browser's User-Agent when the session began (a hint on the account page), cut to 512 characters. */
  user_agent: string | null;
  /** Updated at most once a minute while the session is used. */
  last_seen_at: Timestamp;
}

/** Written by a trigger whenever a session row is deleted; read by every instance (see db/sessions/revocation-feed.ts). */
export interface SessionRevocationsTable {
  seq: Generated<number>;
  session_id: string;
  revoked_at: Generated<Date>;
}

/** One row: the hot cache's generation and the Redis server it was made for (db/hot-store/redis-generation.ts). */
export interface CacheGenerationTable {
  id: Generated<number>;
  generation: number;
  redis_run_id: string;
  changed_at: Generated<Date>;
}

export interface ChatsTable {
  id: string;
  user_id: string;
  project_id: string | null;
  /** The client id of the message that created the chat (new-chat idempotency). */
  client_id: string | null;
  title: string;
  title_source: TitleSource;
  model: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Bumped in the same transaction as any change to the chat or its messages. */
  version: Generated<number>;
  /** When it was pinned to the top of the sidebar; null when it is not. Never set with archived_at. */
  pinned_at: Date | null;
  /** When it was archived (out of the sidebar, into the archive view); null when it is not. */
  archived_at: Date | null;
  /**
   * The last message of the branch the chat shows (and the model is sent); null for a chat
   * with no messages. See db/repositories/branches.ts.
   */
  active_leaf_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessagesTable {
  id: string;
  chat_id: string;
  /** The message this one follows (same chat); null for a first message. Siblings are versions. */
  parent_id: string | null;
  /** When a person last chose the branch ending here (null: never; its creation counts). */
  chosen_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  client_id: string | null;
  model: string | null;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProjectsTable {
  id: string;
  user_id: string;
  name: string;
  icon: string;
  instructions: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One message of a shared link's copy: what the page shows, nothing more. */
export interface SharedMessage {
  id: string;
  role: MessageRole;
  content: string;
  createdAt: string;
}

/** A read-only copy of a chat behind an unguessable token (only its hash is kept). */
export interface SharedLinksTable {
  id: string;
  user_id: string;
  chat_id: string;
  /** SHA-256 of the token, in hex. */
  token_hash: string;
  title: string;
  messages: ColumnType<SharedMessage[], string, never>;
  message_count: number;
  created_at: Timestamp;
}

export type ImportStatus = "running" | "done" | "failed" | "interrupted";
export type ImportSource = "parley" | "chatgpt";

/** An import of a file of chats: its progress while it runs, then its outcome. */
export interface ImportsTable {
  id: string;
  user_id: string;
  status: ImportStatus;
  source: ImportSource;
  file_name: Generated<string>;
  total_chats: number;
  imported_chats: Generated<number>;
  /** Chats the file holds that were imported before (or are this person's own): left as they are. */
  skipped_chats: Generated<number>;
  error: string | null;
  created_at: Timestamp;
  /** Moved by every chat imported: a running import whose row stops moving has died. */
  updated_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  session_revocations: SessionRevocationsTable;
  cache_generation: CacheGenerationTable;
  chats: ChatsTable;
  messages: MessagesTable;
  projects: ProjectsTable;
  shared_links: SharedLinksTable;
  imports: ImportsTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ChatRow = Selectable<ChatsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type SharedLinkRow = Selectable<SharedLinksTable>;
export type ImportRow = Selectable<ImportsTable>;
