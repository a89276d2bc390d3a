import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MessageItem } from "#app/components/chat/MessageItem";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { PUBLIC_PAGE, SHARED_PAGE_HEADERS } from "#app/lib/public-page";
import { sharedLinkTokenSchema } from "#app/lib/shared-link-token";
import type { SharedLinkPage } from "#app/lib/view-types";
import { readyRuntime } from "#app/services/runtime.server";
import { openSharedLink } from "#app/services/shared-links/shared-links.server";

/**
 * A shared chat, read-only, for anyone holding the link: no session is read or made, the page
 * has no forms and runs no script (so no POST is answered here: Remix refuses it with 405),
 * and it is kept out of search engines. Browsers and proxies may keep it, but must ask again
 * every time (max-age=0, must-revalidate, with an ETag: an unchanged page is a 304), so a
 * revoked link is a 404 at once everywhere.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = sharedLinkTokenSchema.safeParse(params.token);
  if (!token.success) throw notFound();
  const runtime = await readyRuntime();
  const page = await openSharedLink(runtime, token.data);
  if (!page) throw notFound();
  return data(page, { headers: { ...SHARED_PAGE_HEADERS, ETag: page.etag } });
}

function notFound(): Response {
  return new Response("This shared chat does not exist, or its owner stopped sharing it.", {
    status: 404,
    headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
  });
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export const handle = PUBLIC_PAGE;

export const meta: MetaFunction = ({ data: page }) => [
  { title: page ? `${(page as SharedLinkPage).title} · Shared from Parley` : "Shared chat · Parley" },
  { name: "robots", content: "noindex" },
];

/** The moment of the copy, in UTC: the same text for every reader (and in every cached copy). */
function formatDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export default function SharedChat() {
  const page = useLoaderData<SharedLinkPage>();
  return (
    <div className="shared">
      <header className="shared__bar">
        <HomeLink />
        <span className="shared__from">Shared from Parley</span>
      </header>
      <main className="shared__main" aria-labelledby="shared-title">
        <div className="shared__intro">
          <h1 id="shared-title" className="shared__title">
            {page.title}
          </h1>
          <p className="shared__meta">
            A copy of this chat as it was on <time dateTime={page.sharedAt}>{formatDate(page.sharedAt)}</time>
            . Later messages are not shown.
          </p>
        </div>
        <div className="chat__log" role="log" aria-label="Messages">
          {page.messages.map((message) => (
            <MessageItem key={message.id} message={{ ...message, status: "complete", error: null }} />
          ))}
        </div>
        {page.messages.length === 0 ? <p className="shared__empty">This chat had no messages yet.</p> : null}
        <footer className="shared__footer">
          <a href="/" className="button">
            Start your own chat on Parley
          </a>
        </footer>
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <div className="shared">
      <header className="shared__bar">
        <HomeLink />
      </header>
      <RouteErrorPanel
        notFoundTitle="Shared chat not found"
        notFoundMessage="This link does not exist, or its owner stopped sharing it."
      />
    </div>
  );
}

/** The brand, linking home: the only way out of a shared page, which has no sidebar. */
function HomeLink() {
  return (
    <a href="/" className="brand">
      <span className="brand__mark" aria-hidden="true" />
      <span className="brand__name">Parley</span>
    </a>
  );
}
