import { singleton } from "./singleton.server";

/**
 * This process's response-cache counters (server/response-cache), shown to operators in
 * `/healthz/details`. One object per process, shared by the server's copy of this module and
 * the Remix bundle's.
 */
export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** Bytes held now, as the cache counts them against RESPONSE_CACHE_MAX_BYTES. */
  bytes: number;
}

export function responseCacheStats(): ResponseCacheStats {
  return singleton("response-cache-stats", () => ({ hits: 0, misses: 0, bytes: 0 }));
}
