import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { LRUCache } from "lru-cache";
import { Markdown } from "#app/components/markdown/Markdown";
import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";

/**
 * Replies are rendered to HTML here, once, by the same safe pipeline the browser would use
 * (raw HTML shown as text, unsafe links made inert), and the page only inserts that HTML. So
 * the Markdown parser is not part of the page's JavaScript (it loads lazily, only to render a
 * reply while it streams), and a chat page does not re-parse 50 messages on every render.
 * Rendered HTML is kept in an LRU keyed by the text itself and bounded by bytes: an entry
 * count would let a few very long replies hold any amount of memory.
 */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
// About 50,000 characters of reply with its HTML. A longer reply is rendered each time, so
// that one cannot push hundreds of ordinary ones out.
const MAX_ENTRY_BYTES = 256 * 1024;
const cache = new LRUCache<string, string>({
  maxSize: MAX_CACHE_BYTES,
  maxEntrySize: MAX_ENTRY_BYTES,
  sizeCalculation: (html, text) => cacheEntryBytes(text, html),
});

export function renderMarkdownHtml(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const html = renderToStaticMarkup(createElement(Markdown, { text }));
  cache.set(text, html);
  return html;
}

/** What the cache holds now, in the bytes its bound counts (for tests). */
export function markdownCacheBytes(): number {
  return cache.calculatedSize;
}
