import type { Migration, MigrationProvider } from "kysely";
import * as initial from "#migrations/2026-11-26T1200_initial";
import * as projects from "#migrations/2026-11-26T1300_projects";
import * as chatClientId from "#migrations/2026-11-26T1400_chat_client_id";
import * as sessionRevocations from "#migrations/2026-12-01T1000_session_revocations";
import * as cacheGeneration from "#migrations/2026-12-01T1100_cache_generation";
import * as accounts from "#migrations/2026-12-02T1000_accounts";
import * as search from "#migrations/2026-12-03T1000_search";
import * as chatPinArchive from "#migrations/2026-12-03T1100_chat_pin_archive";
import * as sharedLinks from "#migrations/2026-12-03T1200_shared_links";
import * as imports from "#migrations/2026-12-03T1300_imports";
import * as messageBranches from "#migrations/2026-12-03T1400_message_branches";

/**
 * Every migration, imported statically. A FileMigrationProvider would read the folder at run
 * time, which breaks under Vitest and inside the Remix server bundle; a static list works in
 * all three. Append new migrations here, in order.
 */
const migrations: Record<string, Migration> = {
  "2026-11-26T1200_initial": initial,
  "2026-11-26T1300_projects": projects,
  "2026-11-26T1400_chat_client_id": chatClientId,
  "2026-12-01T1000_session_revocations": sessionRevocations,
  "2026-12-01T1100_cache_generation": cacheGeneration,
  "2026-12-02T1000_accounts": accounts,
  "2026-12-03T1000_search": search,
  "2026-12-03T1100_chat_pin_archive": chatPinArchive,
  "2026-12-03T1200_shared_links": sharedLinks,
  "2026-12-03T1300_imports": imports,
  "2026-12-03T1400_message_branches": messageBranches,
};

export const staticMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
