import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigate,
  useOutletContext,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Composer } from "#app/components/chat/Composer";
import { MessageItem } from "#app/components/chat/MessageItem";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { useCodeCopyButtons } from "#app/hooks/useCodeCopyButtons";
import { useEarlierPages } from "#app/hooks/useEarlierPages";
import { useHydrated } from "#app/hooks/useHydrated";
import type { ActionResult, SharedLinkCreated } from "#app/lib/action-result";
import { SharedLinkResult, ShareMenu, type ShareResult } from "#app/components/chat/ShareMenu";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { perRequestValue, refuseCapture } from "#app/lib/page-capture.server";
import { BadCursorError, openChat, pageStartAt } from "#app/services/chats.server";
import { newerMessagesAroundHit } from "#app/services/search.server";
import { canonicalId } from "#db/ids";
import { availableModels } from "#app/services/models.server";
import { pageVersions } from "#app/services/page-versions.server";
import { getUserId } from "#app/services/visitor.server";
import { ModelPicker } from "#app/components/chat/ModelPicker";
import { ArchivedBanner } from "./ArchivedBanner";
import { editKey, MessageActions, regenerateKey } from "./MessageActions";
import { useOptimisticSend } from "./useOptimisticSend";
import { useOptimisticVersion } from "./useOptimisticVersion";
import { versionKey } from "./VersionSwitcher";
import { canonicalPageId } from "#app/lib/canonical-url.server";
import { useRootData } from "#app/lib/root-data";
import { readyRuntime } from "#app/services/runtime.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const chatId = canonicalPageId(request, params.chatId);
  if (!chatId) throw new Response("This chat does not exist.", { status: 404 });
  const userId = await getUserId(runtime, request);
  const query = new URL(request.url).searchParams;
  // `at`: open the chat at one message (a search result), on the page of messages holding it.
  // A message no longer on the branch shown (a version since replaced, a stale result), or
  // none of this chat's: the chat opens as usual, at its newest messages.
  let foundMessageId = query.has("at") ? canonicalId(query.get("at")) : null;
  let before = query.get("before");
  if (query.has("at")) {
    const start = foundMessageId
      ? await pageStartAt(
          runtime,
          userId,
          chatId,
          foundMessageId,
          newerMessagesAroundHit(runtime.config.MESSAGE_PAGE_SIZE),
        )
      : undefined;
    if (start === undefined) foundMessageId = null;
    else before = start;
  }
  const { chat: version } = await pageVersions(runtime, { request, context }, userId, chatId);
  const openRead = openChat(runtime, userId, chatId, before, version).catch((error: unknown) => {
    if (error instanceof BadCursorError) throw new Response("Those messages do not exist.", { status: 400 });
    throw error;
  });
  // Both are cache reads: made together, they share one hot-store round trip.
  const [open, { models, defaultModel }] = await Promise.all([openRead, availableModels(runtime)]);
  if (!open) throw new Response("This chat does not exist, or it is not yours.", { status: 404 });
  const pending = open.messages.find((message) => message.status === "pending");
  // A reply being written changes without a version to key a kept copy by: never cached.
  if (pending) refuseCapture(context);
  return {
    ...open,
    pendingReplyId: pending?.id ?? null,
    isEarlierPage: Boolean(before),
    foundMessageId,
    // Fresh per response, even when the page is served from the response cache.
    draftClientId: perRequestValue(context, "client-id"),
    // Apart from the composer's: an edit and a send from one page are two requests.
    versionClientId: perRequestValue(context, "client-id"),
    models,
    model: open.chat.model ?? defaultModel,
  };
}

export { action } from "./action.server";
export { headersWithRetryAfter as headers } from "#app/lib/http.server";

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.chat.title} · Parley` : "Parley" },
];

interface OutletContext {
  replyText: string | null;
}

export default function ChatRoute() {
  const data = useLoaderData<typeof loader>();
  const root = useRootData();
  const actionData = useActionData<ActionResult | SharedLinkCreated>();
  // A share made without JavaScript comes back as this page's action data; it is not the composer's.
  const sharedNow = shareResultOf(actionData);
  const { replyText } = useOutletContext<OutletContext>() ?? { replyText: null };
  const hydrated = useHydrated();
  const send = useFetcher<ActionResult>({ key: `send:${data.chat.id}` });
  const earlier = useEarlierPages(data.chat.id, data);
  useNewestAfterSend(send, data.isEarlierPage ? `/chats/${data.chat.id}` : null);
  useCodeCopyButtons();
  const maxChars = root?.config.messageMaxChars ?? 16_000;

  const saved = [...earlier.messages, ...data.messages];
  const version = useOptimisticVersion(data.chat.id, saved);
  const messages = version ? saved.slice(0, version.keep) : saved;
  const sending = useOptimisticSend(send.formData, send.state === "idle" ? send.data : undefined, saved);
  const optimistic = [...(version?.added ?? []), ...sending];
  const pendingId = data.pendingReplyId;
  const busyReason = pendingId ? "Parley is still replying. Wait for it, or stop it." : null;
  const edit = useFetcher<ActionResult>({ key: editKey(data.chat.id) });
  const regenerate = useFetcher<ActionResult>({ key: regenerateKey(data.chat.id) });
  const choose = useFetcher<ActionResult>({ key: versionKey(data.chat.id) });
  const refusal =
    [send, edit, regenerate, choose]
      .map((fetcher) => (fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data : null))
      .find(Boolean) ?? (actionData && !actionData.ok && !sharedNow ? actionData : null);

  return (
    <main className="chat" aria-labelledby="chat-title">
      <header className="chat__header">
        <h1 id="chat-title" className="chat__title">
          {data.chat.title}
        </h1>
        <nav className="chat__exports" aria-label="Export this chat">
          <span aria-hidden="true">Export</span>
          <a
            className="button button--ghost button--small"
            href={`/chats/${data.chat.id}/export.md`}
            download
          >
            Markdown
          </a>
          <a
            className="button button--ghost button--small"
            href={`/chats/${data.chat.id}/export.json`}
            download
          >
            JSON
          </a>
        </nav>
        <ModelPicker chatId={data.chat.id} models={data.models} current={data.model} hydrated={hydrated} />
        <ShareMenu chatId={data.chat.id} hydrated={hydrated} />
      </header>
      <ArchivedBanner chatId={data.chat.id} archived={data.chat.archived} hydrated={hydrated} />
      {sharedNow ? (
        <div className="chat__notice">
          <SharedLinkResult result={sharedNow} hydrated={hydrated} />
          <Link to="/shared-links">Your shared links</Link>
        </div>
      ) : null}
      {pendingId ? (
        // Without JavaScript, a page with a reply in flight reloads itself until the reply ends.
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      {/* column-reverse keeps the view pinned to the newest message, with or without JavaScript. */}
      <div className="chat__scroller">
        <div className="chat__column">
          {/* With JavaScript, older pages load in place (below); an earlier page as the document
              comes from a link without JavaScript or a search result opened at its message. */}
          {data.isEarlierPage ? (
            <Link to={`/chats/${data.chat.id}`} className="chat__earlier">
              Jump to the newest messages
            </Link>
          ) : null}
          {earlier.cursor ? (
            <Link
              to={`/chats/${data.chat.id}?before=${encodeURIComponent(earlier.cursor)}`}
              className="chat__earlier"
              onClick={(event) => {
                if (!hydrated) return;
                event.preventDefault();
                earlier.load();
              }}
            >
              {earlier.loading ? "Loading…" : "Show earlier messages"}
            </Link>
          ) : null}
          <div className="chat__log" role="log" aria-live="polite" aria-label="Messages">
            {messages.map((message) => (
              <MessageItem
                key={message.id}
                message={message}
                found={message.id === data.foundMessageId}
                liveText={message.id === pendingId ? replyText : null}
                actions={
                  <MessageActions
                    chatId={data.chat.id}
                    message={message}
                    replying={Boolean(pendingId) || version !== null}
                    hydrated={hydrated}
                    clientId={data.versionClientId}
                  />
                }
              />
            ))}
            {optimistic.map((message) => (
              <MessageItem key={message.id} message={message} optimistic />
            ))}
          </div>
        </div>
      </div>
      <Composer
        key={data.chat.id}
        action={`/chats/${data.chat.id}`}
        FormElement={send.Form}
        initialClientId={data.draftClientId}
        maxChars={maxChars}
        refusal={refusal}
        busyReason={busyReason}
        stopMessageId={pendingId}
        hydrated={hydrated}
        autoFocus
      />
    </main>
  );
}

function shareResultOf(result: ActionResult | SharedLinkCreated | undefined): ShareResult | null {
  if (!result) return null;
  if ("sharedUrl" in result) return result;
  return !result.ok && result.fieldErrors?.share ? result : null;
}

/**
 * On a page of older messages (a search result opened at its message), a message sent with
 * JavaScript would land below the page, unseen: once it is sent, go to the newest messages.
 * Only on the send's own transition to idle, not on data a persisted fetcher kept from before.
 */
function useNewestAfterSend(send: { state: string; data?: ActionResult }, newest: string | null) {
  const navigate = useNavigate();
  const busy = useRef(false);
  useEffect(() => {
    if (send.state !== "idle") busy.current = true;
    else if (busy.current) {
      busy.current = false;
      if (newest && send.data?.ok) navigate(newest, { replace: true });
    }
  }, [send.state, send.data, newest, navigate]);
}

export function ErrorBoundary() {
  return (
    <RouteErrorPanel
      notFoundTitle="Chat not found"
      unexpectedMessage="Parley could not open this chat. Nothing you sent was lost; try again in a moment."
    />
  );
}
