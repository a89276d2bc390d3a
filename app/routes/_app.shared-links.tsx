import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  useActionData,
  useFetcher,
  useFetchers,
  useLoaderData,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import { useHydrated } from "#app/hooks/useHydrated";
import type { ActionFailure, ActionResult } from "#app/lib/action-result";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { done, failure, notFound, parseForm, readForm } from "#app/lib/http.server";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import type { SharedLinkSummaryView } from "#app/lib/view-types";
import { readyRuntime } from "#app/services/runtime.server";
import { listSharedLinks, revokeSharedLink } from "#app/services/shared-links/shared-links.server";
import { getUserId } from "#app/services/visitor.server";

export const meta: MetaFunction = () => [{ title: "Shared links · Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  return { links: userId ? await listSharedLinks(runtime, userId) : [] };
}

const revokeSchema = z.object({ link: z.uuid("Unknown link.").toLowerCase() });

/** Revokes one of the visitor's links: someone else's (or one already gone) is a 404. */
export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const userId = await getUserId(runtime, request);
  if (!userId) notFound("This link does not exist.");
  const form = await readForm(request);
  if (form.get("intent") !== "revoke") return failure(400, "Unknown action.");
  const input = parseForm(revokeSchema, form);
  if (!input.success) return input.response;
  if (!(await revokeSharedLink(runtime, userId, input.data.link))) notFound("This link does not exist.");
  return done(form, "/shared-links?done=revoked");
}

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

/** Times as the server wrote them, in UTC: the same text on the server and in the browser. */
function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export default function SharedLinks() {
  const { links } = useLoaderData<typeof loader>();
  const failed = useActionData<ActionFailure>();
  const [params] = useSearchParams();
  // Rows being revoked by a script leave at once (and come back if the server refuses).
  const revoking = new Set(
    useFetchers()
      .filter((fetcher) => fetcher.formData?.get("intent") === "revoke")
      .map((fetcher) => String(fetcher.formData?.get("link"))),
  );
  const shown = links.filter((link) => !revoking.has(link.id));
  return (
    <main className="page" aria-labelledby="shared-links-title">
      <h1 id="shared-links-title">Shared links</h1>
      <p className="page__lead">
        Each link shows a copy of a chat as it was when you shared it, to anyone who has the link. Revoke a
        link and it stops working at once. Deleting a chat revokes its links.
      </p>
      {params.get("done") === "revoked" ? (
        <p className="account__notice" role="status">
          The link is revoked.
        </p>
      ) : null}
      {failed && !failed.ok ? (
        <p className="field-error" role="alert">
          {failed.error}
        </p>
      ) : null}
      {shown.length === 0 ? (
        <p>
          You have not shared any chat. Use <strong>Share</strong> at the top of a chat to make a link.
        </p>
      ) : (
        <ul className="shared-links">
          {shown.map((link) => (
            <SharedLinkRow key={link.id} link={link} />
          ))}
        </ul>
      )}
    </main>
  );
}

function SharedLinkRow({ link }: { link: SharedLinkSummaryView }) {
  const revoke = useFetcher<ActionResult>({ key: `revoke:${link.id}` });
  // With JavaScript the action answers data; without it, it redirects back here.
  const hydrated = useHydrated();
  const refused = revoke.state === "idle" && revoke.data && !revoke.data.ok ? revoke.data.error : null;
  return (
    <li className="shared-links__item">
      <div>
        <Link to={`/chats/${link.chatId}`} className="shared-links__title">
          {link.title}
        </Link>
        <p className="account__session-times">
          Shared <time dateTime={link.createdAt}>{formatTime(link.createdAt)}</time> ·{" "}
          {link.messageCount === 1 ? "1 message" : `${link.messageCount} messages`}
        </p>
        {refused ? (
          <p className="field-error" role="alert">
            {refused}
          </p>
        ) : null}
      </div>
      <revoke.Form method="post" action="/shared-links">
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="link" value={link.id} />
        {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
        <button
          type="submit"
          className="button button--small button--danger"
          aria-label={`Revoke the link to ${link.title}, shared ${formatTime(link.createdAt)}`}
        >
          Revoke
        </button>
      </revoke.Form>
    </li>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel notFoundTitle="Link not found" />;
}
