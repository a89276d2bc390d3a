import type { Kysely } from "kysely";
import { SharedLinkCache } from "#db/cache/shared-link-cache";
import { VersionedCache } from "#db/cache/versioned-cache";
import type { HotStore } from "#db/hot-store/hot-store";
import type { Database } from "#db/schema";
import { ChatPlacementRepository } from "./chat-placement-repository";
import { ChatRepository } from "./chat-repository";
import { ProjectRepository } from "./project-repository";
import { SearchRepository } from "./search-repository";
import { SessionRepository, type Revocations } from "./session-repository";
import { SharedLinkRepository } from "./shared-link-repository";
import type { SessionLifetime } from "./sessions";
import { TransferRepository } from "./transfer-repository";

export interface RepositoriesOptions {
  db: Kysely<Database>;
  store: HotStore;
  /** TTL of every cached entry and version key. */
  ttlSeconds: number;
  /** Distinct version keys remembered while the store is down (see PendingVersions). */
  maxPendingVersions?: number;
  /** Ended sessions (db/sessions/revocation-feed.ts); without it, cached look-ups are believed. */
  revocations?: Revocations;
  /** How long a session look-up is cached. */
  sessionTtlSeconds?: number;
  /** When sessions expire (idle and absolute); the repository's defaults when absent. */
  sessionLifetime?: SessionLifetime;
}

export interface Repositories {
  chats: ChatRepository;
  /** Pinned and archived chats, and the bulk moves (archive all, delete all). */
  placement: ChatPlacementRepository;
  projects: ProjectRepository;
  sessions: SessionRepository;
  sharedLinks: SharedLinkRepository;
  /** Shared links' cached pages, which deleting a chat or an account also buries. */
  sharedLinkPages: SharedLinkCache;
  search: SearchRepository;
  transfers: TransferRepository;
  /**
   * The one versioned cache chats and projects share: both publish the user's list version,
   * so a publication either could not make must send both around the cache until replayed.
   */
  cache: VersionedCache;
  /** Stops listening to the store; closing the store and the database stays the caller's. */
  dispose(): void;
}

/** Every repository over one database and one hot store, built in one place. */
export function createRepositories(options: RepositoriesOptions): Repositories {
  const { db, store } = options;
  const cache = new VersionedCache(options);
  const sharedLinkPages = new SharedLinkCache(store, options.ttlSeconds);
  return {
    chats: new ChatRepository(db, cache, sharedLinkPages),
    placement: new ChatPlacementRepository(db, cache, sharedLinkPages),
    projects: new ProjectRepository(db, cache),
    sessions: new SessionRepository(
      db,
      store,
      options.revocations,
      options.sessionTtlSeconds,
      options.sessionLifetime,
    ),
    sharedLinks: new SharedLinkRepository(db, cache, sharedLinkPages),
    sharedLinkPages,
    search: new SearchRepository(db),
    transfers: new TransferRepository(db, cache),
    cache,
    dispose: () => {
      cache.dispose();
      sharedLinkPages.dispose();
    },
  };
}
