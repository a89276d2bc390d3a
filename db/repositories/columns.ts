/**
 * The columns a chat or message row is read with. Named rather than `selectAll()`: the tables
 * also hold a generated `search_vector` (migrations/2026-12-03T1000_search.ts) that only the
 * search query reads, and which must not ride along into every row, cache entry and page.
 */
export const CHAT_COLUMNS = [
  "chats.id",
  "chats.user_id",
  "chats.project_id",
  "chats.client_id",
  "chats.title",
  "chats.title_source",
  "chats.model",
  "chats.created_at",
  "chats.updated_at",
  "chats.version",
  "chats.pinned_at",
  "chats.archived_at",
  "chats.active_leaf_id",
] as const;

export const MESSAGE_COLUMNS = [
  "messages.id",
  "messages.chat_id",
  "messages.role",
  "messages.content",
  "messages.status",
  "messages.client_id",
  "messages.model",
  "messages.error",
  "messages.created_at",
  "messages.updated_at",
  "messages.parent_id",
  "messages.chosen_at",
] as const;
