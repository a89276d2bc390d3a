import { useRef } from "react";
import type { ActionResult } from "#app/lib/action-result";
import type { MessageView } from "#app/lib/view-types";

/**
 * The message being sent, shown at once and kept until the saved copy (same client id) is on
 * the page. It outlives the fetcher's form data on purpose: a revalidation that started before
 * the message was committed can finish after the fetcher is done, and the message must not
 * blink out in between. A refusal from the server drops it (the composer shows why).
 */
export function useOptimisticSend(
  formData: FormData | undefined,
  result: ActionResult | undefined,
  saved: MessageView[],
) {
  const sending = useRef<{ content: string; clientId: string } | null>(null);
  const content = formData?.get("content");
  const clientId = formData?.get("clientId");
  if (typeof content === "string" && typeof clientId === "string") sending.current = { content, clientId };
  else if (result && !result.ok) sending.current = null;
  const current = sending.current;
  if (!current) return [];
  if (saved.some((message) => message.clientId === current.clientId)) {
    sending.current = null;
    return [];
  }
  return optimisticPair(current.content, current.clientId);
}

function optimisticPair(content: string, clientId: string) {
  return [
    {
      id: `optimistic-${clientId}`,
      role: "user" as const,
      content,
      status: "complete" as const,
      error: null,
    },
    {
      id: `optimistic-reply-${clientId}`,
      role: "assistant" as const,
      content: "",
      status: "pending" as const,
      error: null,
    },
  ];
}
