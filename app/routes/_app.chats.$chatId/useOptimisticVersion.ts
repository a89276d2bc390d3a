import { useFetcher } from "@remix-run/react";
import { useRef } from "react";
import type { ActionResult } from "#app/lib/action-result";
import type { MessageView } from "#app/lib/view-types";
import { editKey, regenerateKey } from "./MessageActions";

interface Posted {
  kind: "edit" | "regenerate";
  messageId: string;
  clientId: string;
  content: string;
}

type Optimistic = Pick<MessageView, "id" | "role" | "content" | "status" | "error">;

/**
 * An edit or a regeneration is predictable: the branch up to the message edited (or the
 * reply regenerated), then the new version and a reply being written. Shown at once, and
 * kept until the saved copy (the same client id) is on the page, like a sent message (see
 * useOptimisticSend); a refusal drops it. Null when nothing is on its way.
 */
export function useOptimisticVersion(
  chatId: string,
  saved: MessageView[],
): { keep: number; added: Optimistic[] } | null {
  const edit = useFetcher<ActionResult>({ key: editKey(chatId) });
  const regenerate = useFetcher<ActionResult>({ key: regenerateKey(chatId) });
  const posted = useRef<Posted | null>(null);
  const fresh = readPosted("edit", edit.formData) ?? readPosted("regenerate", regenerate.formData);
  if (fresh) posted.current = fresh;
  else if (posted.current) {
    const fetcher = posted.current.kind === "edit" ? edit : regenerate;
    if (fetcher.state === "idle" && fetcher.data && !fetcher.data.ok) posted.current = null;
  }
  const current = posted.current;
  if (!current) return null;
  if (saved.some((message) => message.clientId === current.clientId)) {
    posted.current = null;
    return null;
  }
  const keep = saved.findIndex((message) => message.id === current.messageId);
  if (keep === -1) return null;
  const reply: Optimistic = {
    id: `optimistic-reply-${current.clientId}`,
    role: "assistant",
    content: "",
    status: "pending",
    error: null,
  };
  if (current.kind === "regenerate") return { keep, added: [reply] };
  const question: Optimistic = {
    id: `optimistic-${current.clientId}`,
    role: "user",
    content: current.content,
    status: "complete",
    error: null,
  };
  return { keep, added: [question, reply] };
}

function readPosted(kind: Posted["kind"], form: FormData | undefined): Posted | null {
  const messageId = form?.get("messageId");
  const clientId = form?.get("clientId");
  const content = form?.get("content") ?? "";
  if (typeof messageId !== "string" || typeof clientId !== "string" || typeof content !== "string")
    return null;
  return { kind, messageId, clientId, content };
}
