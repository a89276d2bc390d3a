import { useMatches } from "@remix-run/react";

/**
 * Pages anyone may read without a session and that a shared cache may keep (a shared chat).
 * Such a page runs no script, so the same bytes can be served to everyone (no per-request
 * nonce in it), and the document gets no session cookie (a cached Set-Cookie would hand one
 * visitor's session to the next). A route opts in with `export const handle = PUBLIC_PAGE`.
 */
export const PUBLIC_PAGE = { publicPage: true } as const;

export function isPublicPageHandle(handle: unknown): boolean {
  return (handle as { publicPage?: unknown } | undefined)?.publicPage === true;
}

/** True while rendering a public page: the document then leaves out Remix's scripts. */
export function useIsPublicPage(): boolean {
  return useMatches().some((match) => isPublicPageHandle(match.handle));
}

/**
 * A shared chat's response headers: kept out of search engines, and cacheable by anyone, but
 * only after asking again (max-age=0, must-revalidate): with the ETag, an unchanged page costs
 * a 304 without a body, and a revoked one is a 404 at once, even in a proxy's cache.
 */
export const SHARED_PAGE_HEADERS = {
  "Cache-Control": "public, max-age=0, must-revalidate",
  "X-Robots-Tag": "noindex",
};
