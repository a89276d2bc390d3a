import { renderMarkdownHtml } from "./markdown.server";

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
});
