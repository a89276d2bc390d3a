import { MessageActionButton } from "#app/components/chat/MessageItem";
import type { MessageView } from "#app/lib/view-types";

/** What can be done to a message: regenerate or retry the last reply, edit the last message of yours. */
export function MessageActions({
  chatId,
  message,
  isLast,
  isLastUser,
  replying,
}: {
  chatId: string;
  message: MessageView;
  isLast: boolean;
  isLastUser: boolean;
  replying: boolean;
}) {
  if (replying) return null;
  if (message.role === "assistant" && isLast) {
    const failed =
      message.status === "error" || message.status === "interrupted" || message.status === "stopped";
    return (
      <MessageActionButton
        chatId={chatId}
        messageId={message.id}
        intent="retry"
        label={failed ? "Retry" : "Regenerate"}
      />
    );
  }
  if (message.role === "user" && isLastUser) {
    return (
      <details className="edit-message">
        <summary className="button button--ghost button--small">Edit</summary>
        <EditForm chatId={chatId} message={message} />
      </details>
    );
  }
  return null;
}

function EditForm({ chatId, message }: { chatId: string; message: MessageView }) {
  return (
    <form method="post" action={`/chats/${chatId}`} className="edit-message__form">
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="messageId" value={message.id} />
      <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
        Edit your message
      </label>
      <textarea
        id={`edit-${message.id}`}
        name="content"
        defaultValue={message.content}
        className="composer__input"
        rows={3}
      />
      <button type="submit" className="button button--primary button--small">
        Save and regenerate
      </button>
    </form>
  );
}
