import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { Composer } from "#app/components/chat/Composer";
import { MessageItem } from "#app/components/chat/MessageItem";
import { useHydrated } from "#app/hooks/useHydrated";
import type { ActionResult } from "#app/lib/action-result";
import { serverActionOrUnreachable, unlessUnreachable } from "#app/lib/unreachable";
import { perRequestValue } from "#app/lib/page-capture.server";
import { useRootData } from "#app/lib/root-data";
import type { loader as layoutLoader } from "#app/routes/_app";

export const meta: MetaFunction = () => [{ title: "New chat · Parley" }];

export function loader({ context }: LoaderFunctionArgs) {
  // Fresh per response, even when the page is served from the response cache.
  return { draftClientId: perRequestValue(context, "client-id") };
}

export { action } from "./action.server";
export { headersWithRetryAfter as headers } from "#app/lib/http.server";

export const clientAction = serverActionOrUnreachable;
export const shouldRevalidate = unlessUnreachable;

const SUGGESTIONS = [
  "Explain keyset pagination like I'm new to databases",
  "Draft a friendly reminder email about tomorrow's meeting",
  "What should I pack for a three-day hike?",
];

export default function NewChat() {
  const root = useRootData();
  const project = useRouteLoaderData<typeof layoutLoader>("routes/_app")?.project ?? null;
  const actionData = useActionData<ActionResult>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const sending =
    navigation.state !== "idle" && navigation.formAction === "/chats?index" ? navigation.formData : undefined;
  const pendingContent = sending?.get("content");
  const maxChars = root?.config.messageMaxChars ?? 16_000;
  const { draftClientId } = useLoaderData<typeof loader>();

  return (
    <main className="chat chat--new" aria-labelledby="new-chat-title">
      <div className="chat__scroller">
        <div className="chat__column">
          {typeof pendingContent === "string" ? (
            <div className="chat__log" role="log" aria-live="polite" aria-label="Messages">
              <MessageItem
                message={{
                  id: "new",
                  role: "user",
                  content: pendingContent,
                  status: "complete",
                  error: null,
                }}
                optimistic
              />
              <MessageItem
                message={{ id: "new-reply", role: "assistant", content: "", status: "pending", error: null }}
                optimistic
              />
            </div>
          ) : (
            <div className="welcome">
              <h1 id="new-chat-title" className="welcome__title">
                {project ? (
                  <>
                    <span aria-hidden="true">{project.icon}</span> {project.name}
                  </>
                ) : (
                  "What can I help with?"
                )}
              </h1>
              <p className="welcome__lead">
                Ask anything. Your chats are saved on this server and listed with your other chats.
                {root?.config.offline
                  ? " No model is connected yet, so replies come from the offline demo."
                  : ""}
              </p>
              <ul className="welcome__suggestions" aria-label="Suggestions">
                {SUGGESTIONS.map((suggestion) => (
                  <li key={suggestion}>
                    <Form method="post" action="/chats?index">
                      <input type="hidden" name="intent" value="send" />
                      {project ? <input type="hidden" name="projectId" value={project.id} /> : null}
                      <input type="hidden" name="clientId" value={`${draftClientId}${suggestion.length}`} />
                      <input type="hidden" name="content" value={suggestion} />
                      <button type="submit" className="suggestion">
                        {suggestion}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </div>
      <Composer
        action="/chats?index"
        initialClientId={draftClientId}
        maxChars={maxChars}
        refusal={actionData && !actionData.ok ? actionData : null}
        hydrated={hydrated}
        submitting={Boolean(sending)}
        placeholder={project ? `Ask about ${project.name}` : "Ask Parley anything"}
        autoFocus
        extraFields={project ? <input type="hidden" name="projectId" value={project.id} /> : null}
      />
    </main>
  );
}
