/**
 * The sync check's answer, shared by the server that sends it (app/services/sync.server.ts,
 * answered by server/ before Remix) and the hook that polls it (app/hooks/useLiveSync.ts).
 */
export interface SyncState {
  list: number;
  chat: number | null;
  /** The reply asked about, from `offset` on, while it is being written. */
  reply?: { offset: number; text: string; at: number };
}
