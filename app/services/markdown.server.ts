import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "#app/components/markdown/Markdown";

/**
 * Replies are rendered to HTML here, once, by the same safe pipeline the browser would use
 * (raw HTML shown as text, unsafe links made inert), and the page only inserts that HTML. So
 * the Markdown parser is not part of the page's JavaScript (it loads lazily, only to render a
 * reply while it streams), and a chat page does not re-parse 50 messages on every render.
 * Rendered HTML is kept in a bounded LRU keyed by the text itself.
 */
const MAX_ENTRIES = 5_000;
const MAX_CACHED_TEXT = 64 * 1024;
const cache = new Map<string, string>();

export function renderMarkdownHtml(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Refresh its place: Map iteration order is insertion order, so the oldest goes first.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const html = renderToStaticMarkup(createElement(Markdown, { text }));
  if (text.length <= MAX_CACHED_TEXT) {
    cache.set(text, html);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return html;
}
