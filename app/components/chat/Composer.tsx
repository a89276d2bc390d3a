import { Form } from "@remix-run/react";
import { useEffect, useRef, useState, type ElementType } from "react";
import type { ActionFailure } from "#app/lib/action-result";
import { messageContentProblem, newClientId } from "#app/lib/message-rules";

interface ComposerProps {
  action: string;
  /** Form or a fetcher's Form: the composer works the same with either. */
  FormElement?: ElementType;
  /** Rendered by the server so a form posted without JavaScript still carries one. */
  initialClientId: string;
  maxChars: number;
  /** The refusal of the last submission (the server's, or "could not reach the server"). */
  refusal?: ActionFailure | null;
  /** Sending is paused (a reply is being written): why, shown instead of sending. */
  busyReason?: string | null;
  /** The pending reply that Stop (or Esc) ends. */
  stopMessageId?: string | null;
  hydrated: boolean;
  submitting?: boolean;
  placeholder?: string;
  autoFocus?: boolean;
  extraFields?: React.ReactNode;
}

/**
 * The message box. Enter sends, Shift+Enter adds a line. Empty and oversized messages are
 * refused here at once, with the server's own rules (the server still has the final say).
 */
export function Composer({
  action,
  FormElement = Form,
  initialClientId,
  maxChars,
  refusal,
  busyReason,
  stopMessageId,
  hydrated,
  submitting,
  placeholder = "Message Parley",
  autoFocus,
  extraFields,
}: ComposerProps) {
  const [clientId, setClientId] = useState(initialClientId);
  const [localError, setLocalError] = useState<string | null>(null);
  const [length, setLength] = useState(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const error = localError ?? refusal?.error ?? null;
  // The box is emptied as a message goes; if it is refused, the text comes back to be sent
  // again, with its client id: when the server was unreachable the message may still have
  // arrived, and the same id stores it once.
  const lastSent = useRef<{ content: string; clientId: string } | null>(null);
  useEffect(() => {
    const box = textarea.current;
    const sent = lastSent.current;
    if (!refusal || !box || !sent) return;
    if (!box.value) {
      box.value = sent.content;
      setLength(sent.content.length);
      setClientId(sent.clientId);
    }
    lastSent.current = null;
  }, [refusal]);
  const errorId = `${action.replace(/\W/g, "-")}-composer-error`;

  useEffect(() => {
    if (autoFocus && hydrated) textarea.current?.focus();
  }, [autoFocus, hydrated]);

  // Esc stops a reply in flight from anywhere on the page: app/hooks/useShortcuts.ts submits
  // the stop form below (data-stop-form).

  return (
    <div className="composer">
      <FormElement
        method="post"
        action={action}
        className="composer__form"
        onSubmit={(event: React.FormEvent<HTMLFormElement>) => {
          const form = event.currentTarget;
          const content = (form.elements.namedItem("content") as HTMLTextAreaElement).value;
          const problem = messageContentProblem(content, maxChars);
          if (problem) {
            event.preventDefault();
            setLocalError(problem);
            return;
          }
          if (busyReason) {
            event.preventDefault();
            setLocalError(busyReason);
            return;
          }
          setLocalError(null);
          lastSent.current = { content, clientId };
          // The submission has captured the values: clear the box for the next message.
          queueMicrotask(() => {
            if (textarea.current) textarea.current.value = "";
            setLength(0);
            setClientId(newClientId());
          });
        }}
      >
        <input type="hidden" name="intent" value="send" />
        <input type="hidden" name="clientId" value={clientId} />
        {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
        {extraFields}
        <label htmlFor={`${errorId}-input`} className="visually-hidden">
          Message
        </label>
        <textarea
          ref={textarea}
          id={`${errorId}-input`}
          name="content"
          data-composer=""
          className="composer__input"
          rows={1}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onInput={(event) => {
            setLength(event.currentTarget.value.length);
            if (localError) setLocalError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="composer__bar">
          <span
            className={`composer__count${length > maxChars ? " composer__count--over" : ""}`}
            aria-live="polite"
          >
            {length > maxChars * 0.8
              ? `${length.toLocaleString("en-US")} / ${maxChars.toLocaleString("en-US")}`
              : ""}
          </span>
          {stopMessageId ? null : (
            <button
              type="submit"
              className="button button--primary composer__send"
              disabled={submitting}
              aria-label="Send message"
            >
              {submitting ? "Sending…" : "Send"}
            </button>
          )}
        </div>
      </FormElement>
      {stopMessageId ? (
        <Form method="post" action={action} className="composer__stop" data-stop-form="">
          <input type="hidden" name="intent" value="stop" />
          <input type="hidden" name="messageId" value={stopMessageId} />
          <button type="submit" className="button composer__stop-button" aria-label="Stop the reply">
            <span className="stop-square" aria-hidden="true" /> Stop
          </button>
        </Form>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="composer__hint">Enter to send, Shift+Enter for a new line.</p>
    </div>
  );
}
