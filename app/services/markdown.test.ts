import { cacheEntryBytes } from "#db/lib/cache-entry-bytes";
import { markdownCacheBytes, renderMarkdownHtml } from "./markdown.server";

describe("renderMarkdownHtml", () => {
  it("renders Markdown to HTML", () => {
    const html = renderMarkdownHtml("# Title\n\n- one\n- two\n\n```js\nconst a = 1;\n```");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('class="code-block"');
    expect(html).toContain("const a = 1;");
  });

  it("keeps raw HTML and unsafe links inert", () => {
    const html = renderMarkdownHtml(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[x](javascript:alert(1))',
    );
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&lt;img src=x");
  });

  it("answers a repeated text from its cache with the same HTML", () => {
    const text = `cached ${Math.random()}`;
    expect(renderMarkdownHtml(text)).toBe(renderMarkdownHtml(text));
  });

  it("counts what it keeps in bytes, text and HTML", () => {
    const text = `Some *emphasis* and a [link](https://example.com) ${Math.random()}`;
    const before = markdownCacheBytes();
    const html = renderMarkdownHtml(text);
    expect(markdownCacheBytes() - before).toBe(cacheEntryBytes(text, html));
    renderMarkdownHtml(text);
    expect(markdownCacheBytes() - before, "a hit adds nothing").toBe(cacheEntryBytes(text, html));
  });

  it("does not keep a very long reply, so one cannot push many ordinary ones out", () => {
    const before = markdownCacheBytes();
    // 30,000 characters whose HTML is five times longer ("&amp;"): over the entry bound.
    const long = `${Math.random()} ${"&".repeat(30_000)}`;
    expect(renderMarkdownHtml(long)).toContain("&amp;&amp;");
    expect(markdownCacheBytes()).toBe(before);
  });
});
