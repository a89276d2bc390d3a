import { createContext, useContext, type ReactNode } from "react";
import ReactMarkdown, { type Components, type ExtraProps, type UrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./CodeBlock";

/*
 * Safe Markdown for chat messages.
 *
 * - Raw HTML is never parsed into elements (no rehype-raw). `remarkHtmlAsText`
 *   turns every `html` mdast node into plain text, so `<script>` shows up as the
 *   literal characters the person typed. (react-markdown 9 with `skipHtml={false}`
 *   already does this for the `raw` hast nodes; the plugin makes it independent
 *   of that default and keeps working even if someone adds rehype-raw later.)
 * - URLs are allow-listed (http, https, mailto, relative); everything else
 *   (javascript:, data:, vbscript:, …) loses its href and renders inert.
 * - Images are never loaded (tracking pixels): they render as a link to the image.
 */

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

const SAFE_PROTOCOL = /^(?:https?|mailto)$/i;

/** `url` if it is relative or uses an allowed protocol, otherwise `undefined`. */
export function safeUrl(url: string): string | undefined {
  const colon = url.indexOf(":");
  if (colon === -1) return url; // no protocol: relative
  // A colon after `/`, `?` or `#` is not a protocol separator ("/a:b", "?x=y:z").
  for (const c of ["/", "?", "#"]) {
    const i = url.indexOf(c);
    if (i !== -1 && i < colon) return url;
  }
  // Allow-list (fail closed): "JaVaScRiPt", " javascript", "java\tscript" all fail.
  return SAFE_PROTOCOL.test(url.slice(0, colon)) ? url : undefined;
}

/** react-markdown hook: unsafe URLs become `undefined`, so the attribute is dropped. */
export const urlTransform: UrlTransform = (url) => safeUrl(url);

/** Absolute http(s) or protocol-relative URLs leave the app. */
function isExternal(href: string) {
  return /^(?:https?:)?\/\//i.test(href);
}

const EXTERNAL_LINK = { target: "_blank", rel: "noopener noreferrer nofollow" } as const;

// ---------------------------------------------------------------------------
// remark plugin: raw HTML → text
// ---------------------------------------------------------------------------

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Containers whose children are block ("flow") content in mdast. */
const FLOW_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);

/** Replace every `html` node with a `text` node of the same value. */
export function remarkHtmlAsText() {
  return (tree: MdNode) => {
    const walk = (parent: MdNode) => {
      const children = parent.children;
      if (!children) return;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (child.type === "html") {
          const text: MdNode = { type: "text", value: child.value ?? "" };
          // Block-level HTML gets a paragraph so it renders like the rest of the message.
          children[i] = FLOW_PARENTS.has(parent.type) ? { type: "paragraph", children: [text] } : text;
        } else {
          walk(child);
        }
      }
    };
    walk(tree);
  };
}

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

/** True inside an `<a>`, so images there don't render a nested link. */
const InsideLink = createContext(false);

type HastNode = NonNullable<ExtraProps["node"]> | NonNullable<ExtraProps["node"]>["children"][number];

function hastText(node: HastNode): string {
  if (node.type === "text") return node.value;
  if ("children" in node) return node.children.map(hastText).join("");
  return "";
}

const components: Components = {
  a({ node: _node, href, children, ...rest }) {
    if (!href) {
      // Unsafe URL (stripped by urlTransform) or empty destination: inert text.
      return <span className="markdown__link--blocked">{children}</span>;
    }
    return (
      <a {...rest} href={href} {...(isExternal(href) ? EXTERNAL_LINK : {})}>
        <InsideLink.Provider value={true}>{children}</InsideLink.Provider>
      </a>
    );
  },

  img: function Image({ src, alt, title }) {
    const insideLink = useContext(InsideLink);
    const label: ReactNode = alt || (insideLink ? "" : src) || "image";
    if (!src || insideLink) return <span className="markdown__image-alt">{label}</span>;
    return (
      <a
        className="markdown__image-link"
        href={src}
        title={title}
        {...(isExternal(src) ? EXTERNAL_LINK : {})}
      >
        {label}
      </a>
    );
  },

  pre({ node, children, ...rest }) {
    const code = node?.children.find(
      (c): c is Extract<typeof c, { type: "element" }> => c.type === "element" && c.tagName === "code",
    );
    if (!code) return <pre {...rest}>{children}</pre>;
    const classes = code.properties.className;
    const langClass = Array.isArray(classes)
      ? classes.find((c): c is string => typeof c === "string" && c.startsWith("language-"))
      : undefined;
    const language = langClass?.slice("language-".length) || undefined;
    // mdast-util-to-hast appends a final newline to block code; drop it.
    const text = hastText(code).replace(/\n$/, "");
    return <CodeBlock code={text} language={language} />;
  },

  table({ node: _node, ...rest }) {
    return (
      <div className="markdown__table-wrap">
        <table {...rest} />
      </div>
    );
  },
};

const remarkPlugins = [remarkGfm, remarkHtmlAsText];

/** Render an untrusted chat message as Markdown (GFM), safely. */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        skipHtml={false}
        urlTransform={urlTransform}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
