import { memo } from "react";
import type { MessageView } from "#app/lib/view-types";
import { LiveMarkdown } from "./LiveMarkdown";
import { TypingIndicator } from "./TypingIndicator";

interface MessageItemProps {
  message: Pick<MessageView, "id" | "role" | "content" | "status" | "error"> & { html?: string | null };
  /** The growing text of a pending reply, from the sync check. */
  liveText?: string | null;
  /** What can be done to the message (versions, edit, regenerate), shown under it. */
  actions?: React.ReactNode;
  optimistic?: boolean;
  /** The message a search result opened the chat at: marked, and the target of its `#m-<id>` link. */
  found?: boolean;
}

const STATUS_NOTES: Partial<Record<MessageView["status"], string>> = {
  stopped: "Stopped.",
  interrupted: "This reply was interrupted before it finished.",
  error: "The reply failed.",
};

/**
 * One message: the person's as plain text, the assistant's as safe Markdown (HTML rendered
 * by the server; the growing text of a pending reply is rendered here).
 */
export const MessageItem = memo(function MessageItem({
  message,
  liveText,
  actions,
  optimistic,
  found,
}: MessageItemProps) {
  const fromPerson = message.role === "user";
  const live =
    message.status === "pending" && liveText && liveText.length >= message.content.length ? liveText : null;
  const text = live ?? message.content;
  const note = STATUS_NOTES[message.status];
  return (
    <article
      id={`m-${message.id}`}
      className={`message message--${fromPerson ? "person" : "assistant"}${optimistic ? " message--optimistic" : ""}${found ? " message--found" : ""}`}
      aria-label={fromPerson ? "You said" : "Parley said"}
      data-status={message.status}
      data-message-id={message.id}
    >
      <div className="message__bubble">
        {fromPerson ? (
          <p className="message__plain">{text}</p>
        ) : live ? (
          <div className="message__live">
            <LiveMarkdown text={live} />
          </div>
        ) : message.html ? (
          <div
            className={message.status === "pending" ? "message__live" : undefined}
            data-static-html=""
            // Rendered by the server's Markdown pipeline, which never emits raw HTML or unsafe links.
            dangerouslySetInnerHTML={{ __html: message.html }}
          />
        ) : message.status === "pending" ? (
          <TypingIndicator />
        ) : null}
        {note ? (
          <p className={`message__note message__note--${message.status}`}>
            {message.status === "error" && message.error ? `${note} ${message.error}` : note}
          </p>
        ) : null}
      </div>
      {actions ? <div className="message__actions">{actions}</div> : null}
    </article>
  );
});
