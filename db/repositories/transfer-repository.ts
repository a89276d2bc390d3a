import type { Kysely } from "kysely";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { ChatRow, Database, ImportRow, MessageRow, ProjectRow } from "#db/schema";
import { importChat, type ChatImportOutcome, type ImportedChat } from "./chat-import";
import { getChat } from "./chats";
import { listChatsForExport, readMessagesForExport, readVisibleBranchForExport } from "./export-reads";
import * as imports from "./imports";
import { listProjects } from "./projects";
import { publishUserVersions } from "./user-versions";

/** A running import whose row has not moved for this long has died with its process. */
export const IMPORT_STALE_SECONDS = 120;

/**
 * Exports and imports: the keyset reads an export streams from, and the import's writes (one
 * transaction per chat, then the user's new list version published so other tabs see it).
 * Reads go straight to Postgres: an export reads everything once, which no cache would help.
 */
export class TransferRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: VersionedCache,
  ) {}

  getChat(userId: string, chatId: string): Promise<ChatRow | undefined> {
    return getChat(this.db, userId, chatId);
  }

  listProjects(userId: string): Promise<ProjectRow[]> {
    return listProjects(this.db, userId);
  }

  chatsForExport(userId: string, options: { afterId?: string; limit: number }): Promise<ChatRow[]> {
    return listChatsForExport(this.db, userId, options);
  }

  /** Every message of the chat, versions included: the whole tree. */
  messagesForExport(userId: string, chatId: string): AsyncGenerator<MessageRow[]> {
    return readMessagesForExport(this.db, userId, chatId);
  }

  /** The chat's visible branch only: what the person sees. */
  visibleBranchForExport(userId: string, chatId: string): AsyncGenerator<MessageRow[]> {
    return readVisibleBranchForExport(this.db, userId, chatId);
  }

  /** Starts an import, first ending any of the user's that died; undefined while one is running. */
  async startImport(job: imports.NewImport): Promise<ImportRow | undefined> {
    await imports.markStaleImports(this.db, job.userId, new Date(Date.now() - IMPORT_STALE_SECONDS * 1000));
    return imports.startImport(this.db, job);
  }

  getImport(userId: string, importId: string): Promise<ImportRow | undefined> {
    return imports.getImport(this.db, userId, importId);
  }

  listImports(userId: string, limit: number): Promise<ImportRow[]> {
    return imports.listImports(this.db, userId, limit);
  }

  finishImport(
    importId: string,
    outcome: { status: "done" } | { status: "failed"; error: string },
  ): Promise<void> {
    return imports.finishImport(this.db, importId, outcome);
  }

  /** Writes one chat of an import (whole, or not at all) and announces it to the user's other tabs. */
  async importChat(userId: string, importId: string, chat: ImportedChat): Promise<ChatImportOutcome> {
    const outcome = await importChat(this.db, userId, importId, chat);
    if (outcome.kind === "imported") await publishUserVersions(this.cache, userId, outcome.list, []);
    return outcome;
  }
}
