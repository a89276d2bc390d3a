/** A version key (without the store's prefix) and the version it was raised to. */
export type RaisedVersion = readonly [key: string, version: number];

/**
 * Announcements of every version the hot store raises, on every instance: what lets an
 * instance keep the versions it has read in memory (db/cache/version-mirror.ts) and answer
 * "nothing changed" without asking the store.
 *
 * An announcement can be missed only while the feed is not live (its subscription dropped or
 * is not confirmed yet). `epoch()` names one unbroken stretch of liveness within one cache
 * generation: it is null while not live, and never comes back to an earlier value, so whoever
 * remembers versions read under one epoch can tell when they may have missed something.
 */
export interface VersionFeed {
  epoch(): string | null;
  /** Calls `listener` with each announcement and the epoch it arrived in. Returns an unsubscribe. */
  onRaised(listener: (epoch: string, raised: readonly RaisedVersion[]) => void): () => void;
}
