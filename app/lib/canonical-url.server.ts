import { redirect } from "@remix-run/node";
import { canonicalId } from "#db/ids";

/**
 * The canonical id of a page's URL parameter, or null when it is not an id. A page asked for
 * with another spelling of the id (upper case) is sent to its canonical URL, so what the
 * browser shows, caches and links to is always the one that writes keep fresh.
 */
export function canonicalPageId(request: Request, value: string | undefined): string | null {
  const id = canonicalId(value);
  if (id && value && id !== value) {
    const url = new URL(request.url);
    url.pathname = url.pathname.replace(value, id);
    throw redirect(url.pathname + url.search, 301);
  }
  return id;
}
