import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CodeBlock } from "./CodeBlock";
import { copyToClipboard } from "./copy";
import { Markdown, safeUrl } from "./Markdown";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

const EXTERNAL = 'target="_blank" rel="noopener noreferrer nofollow"';

describe("Markdown: basic rendering", () => {
  it("wraps output in .markdown", () => {
    expect(render("hi")).toBe('<div class="markdown"><p>hi</p></div>');
  });

  it("renders headings", () => {
    const html = render("# Title\n\n## Sub\n\n###### Six");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<h2>Sub</h2>");
    expect(html).toContain("<h6>Six</h6>");
  });

  it("renders unordered, ordered and task lists", () => {
    expect(render("- a\n- b")).toMatch(/<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    expect(render("3. x\n4. y")).toMatch(/<ol start="3">\s*<li>x<\/li>\s*<li>y<\/li>\s*<\/ol>/);
    const tasks = render("- [x] done\n- [ ] todo");
    expect(tasks).toContain('<input type="checkbox" disabled="" checked=""/> done');
    expect(tasks).toContain('<input type="checkbox" disabled=""/> todo');
  });

  it("renders GFM tables inside a scroll wrapper", () => {
    const html = render("| a | b |\n|:--|--:|\n| 1 | 2 |");
    expect(html).toContain('<div class="markdown__table-wrap"><table>');
    expect(html).toMatch(/<th style="text-align:left">a<\/th>/);
    expect(html).toMatch(/<td style="text-align:right">2<\/td>/);
  });

  it("renders emphasis, strong and strikethrough", () => {
    const html = render("*em* **strong** ~~gone~~ _also_");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain("<em>also</em>");
  });

  it("keeps inline code as plain <code>", () => {
    const html = render("use `a < b` here");
    expect(html).toBe('<div class="markdown"><p>use <code>a &lt; b</code> here</p></div>');
    expect(html).not.toContain("code-block");
  });
});

describe("Markdown: code blocks", () => {
  it("renders a fenced block with language and copy button", () => {
    const html = render("```ts\nconst a = 1 < 2;\n```");
    expect(html).toContain('<figure class="code-block" data-language="ts">');
    expect(html).toContain('<span class="code-block__lang">ts</span>');
    expect(html).toContain(
      '<button type="button" class="code-block__copy" aria-label="Copy code">Copy</button>',
    );
    expect(html).toContain(
      '<pre class="code-block__pre"><code class="code-block__code language-ts">const a = 1 &lt; 2;</code></pre>',
    );
    expect(html).not.toContain("<p>");
  });

  it("renders a fence without language (no language label)", () => {
    const html = render("```\nplain\n```");
    expect(html).toContain('<figure class="code-block">');
    expect(html).not.toContain("code-block__lang");
    expect(html).toContain('aria-label="Copy code"');
    expect(html).toContain('<code class="code-block__code">plain</code>');
  });

  it("treats indented code as a code block too", () => {
    expect(render("    indented")).toContain('<code class="code-block__code">indented</code>');
  });

  it("keeps HTML inside code fences as escaped text", () => {
    const html = render("```html\n<script>alert(1)</script>\n```");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script");
  });

  it("CodeBlock renders standalone", () => {
    const html = renderToStaticMarkup(<CodeBlock code={"a\nb"} language="py" />);
    expect(html).toContain('<code class="code-block__code language-py">a\nb</code>');
    expect(html).toContain('role="status"');
  });
});

describe("copyToClipboard", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("uses navigator.clipboard.writeText", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { clipboard: { writeText } });
    await expect(copyToClipboard("x")).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith("x");
  });

  it("returns false when the clipboard API is absent", async () => {
    vi.stubGlobal("navigator", {});
    await expect(copyToClipboard("x")).resolves.toBe(false);
    vi.stubGlobal("navigator", undefined);
    await expect(copyToClipboard("x")).resolves.toBe(false);
  });

  it("returns false when writeText rejects", async () => {
    vi.stubGlobal("navigator", { clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
    await expect(copyToClipboard("x")).resolves.toBe(false);
  });
});

describe("Markdown: raw HTML is shown as text", () => {
  it("escapes <script> blocks", () => {
    const html = render("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script");
  });

  it("escapes inline <script>", () => {
    const html = render("hello <script>alert(1)</script> world");
    expect(html).toContain("hello &lt;script&gt;alert(1)&lt;/script&gt; world");
    expect(html).not.toContain("<script");
  });

  it("shows <img onerror> as text, no element and no attribute", () => {
    for (const text of ["<img src=x onerror=alert(1)>", "look: <img src=x onerror=alert(1)>"]) {
      const html = render(text);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain("<img");
      // "onerror=" is visible as text, but never inside a tag.
      expect(html).not.toMatch(/<[a-z][^>]*\sonerror=/i);
    }
  });

  it("shows other tags and comments literally", () => {
    const html = render('<div onclick="x()">hi</div>\n\n<!-- c --> <iframe src="https://e.x"></iframe>');
    expect(html).not.toMatch(/<(div|iframe)\b[^>]*onclick|<iframe/);
    expect(html).toContain("&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;");
    expect(html).toContain("&lt;!-- c --&gt;");
    expect(html).toContain("&lt;iframe");
  });
});

describe("Markdown: links", () => {
  const inert = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](javascript&#58;alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
  ];

  it.each(inert)("renders %j inert, without href", (text) => {
    const html = render(text);
    expect(html).not.toContain("href");
    // No attribute value carries the payload (the link text itself may, e.g. autolinks).
    expect(html).not.toMatch(/<[a-z][^>]*=\s*"?\s*(javascript|vbscript|data):/i);
    expect(html).toContain('<span class="markdown__link--blocked">');
  });

  it("renders blocked links as a span keeping the text", () => {
    expect(render("[click *me*](javascript:alert(1))")).toBe(
      '<div class="markdown"><p><span class="markdown__link--blocked">click <em>me</em></span></p></div>',
    );
  });

  it("keeps https links and marks them external", () => {
    expect(render('[site](https://example.com/a?b=c "T")')).toContain(
      `<a title="T" href="https://example.com/a?b=c" ${EXTERNAL}>site</a>`,
    );
    expect(render("[x](//cdn.example.com/)")).toContain(`href="//cdn.example.com/" ${EXTERNAL}`);
  });

  it("autolinks https URLs with rel/target", () => {
    expect(render("<https://example.com>")).toContain(
      `<a href="https://example.com" ${EXTERNAL}>https://example.com</a>`,
    );
    expect(render("see https://example.com/x.")).toContain(
      `<a href="https://example.com/x" ${EXTERNAL}>https://example.com/x</a>.`,
    );
    expect(render("www.example.com")).toContain(`<a href="http://www.example.com" ${EXTERNAL}>`);
  });

  it("keeps mailto and relative links, same tab", () => {
    expect(render("[m](mailto:a@b.c)")).toContain('<a href="mailto:a@b.c">m</a>');
    expect(render("a@b.c")).toContain('<a href="mailto:a@b.c">a@b.c</a>');
    expect(render("[r](/chat/1)")).toContain('<a href="/chat/1">r</a>');
    expect(render("[r](../x:y)")).toContain('<a href="../x:y">r</a>');
    expect(render("[r](#top)")).toContain('<a href="#top">r</a>');
  });

  it("safeUrl allow-lists protocols", () => {
    expect(safeUrl("https://a")).toBe("https://a");
    expect(safeUrl("HTTP://a")).toBe("HTTP://a");
    expect(safeUrl("mailto:x@y")).toBe("mailto:x@y");
    expect(safeUrl("a/b:c")).toBe("a/b:c");
    expect(safeUrl("?q=a:b")).toBe("?q=a:b");
    expect(safeUrl("ftp://a")).toBeUndefined();
    expect(safeUrl(" javascript:x")).toBeUndefined();
    expect(safeUrl("java\nscript:x")).toBeUndefined();
  });
});

describe("Markdown: images are not loaded", () => {
  it("renders an image as a link labelled with its alt text", () => {
    const html = render('![a cat](https://t.example/p.gif "Cat")');
    expect(html).not.toContain("<img");
    expect(html).toContain(
      `<a class="markdown__image-link" href="https://t.example/p.gif" title="Cat" ${EXTERNAL}>a cat</a>`,
    );
  });

  it("falls back to the URL when alt is empty", () => {
    expect(render("![](https://t.example/p.gif)")).toContain(">https://t.example/p.gif</a>");
  });

  it("renders unsafe image URLs as alt text only", () => {
    const html = render("![pixel](data:image/gif;base64,R0lGODlhAQABAAAAACw=)");
    expect(html).toBe('<div class="markdown"><p><span class="markdown__image-alt">pixel</span></p></div>');
  });

  it("does not nest links for an image inside a link", () => {
    const html = render("[![badge](https://img.example/b.svg)](https://example.com)");
    expect(html).toBe(
      `<div class="markdown"><p><a href="https://example.com" ${EXTERNAL}><span class="markdown__image-alt">badge</span></a></p></div>`,
    );
  });

  it("handles image references", () => {
    const html = render("![r][i]\n\n[i]: https://t.example/p.png");
    expect(html).not.toContain("<img");
    expect(html).toContain('href="https://t.example/p.png"');
  });
});
