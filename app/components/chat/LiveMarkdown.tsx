import { lazy, Suspense } from "react";

// The Markdown renderer loads only when a reply is streaming on this page: finished replies
// arrive as HTML rendered by the server.
const Markdown = lazy(() =>
  import("#app/components/markdown/Markdown").then((module) => ({ default: module.Markdown })),
);

/** A reply's growing text, as Markdown once the renderer has loaded (plain text until then). */
export function LiveMarkdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<p className="message__plain">{text}</p>}>
      <Markdown text={text} />
    </Suspense>
  );
}
