import { useFetcher } from "@remix-run/react";
import type { ActionResult } from "#app/lib/action-result";
import type { MessageView } from "#app/lib/view-types";
import { VersionSwitcher } from "./VersionSwitcher";

/** The fetchers' keys, so the route can show what they are doing (useOptimisticVersion). */
export const editKey = (chatId: string) => `edit:${chatId}`;
export const regenerateKey = (chatId: string) => `regenerate:${chatId}`;

/**
 * What can be done to a message of the visible branch: move between its versions, edit any
 * message of yours, regenerate (or retry) any reply. Editing and regenerating add a version
 * beside the old one. Nothing is offered while a reply is being written.
 */
export function MessageActions({
  chatId,
  message,
  replying,
  hydrated,
  clientId,
}: {
  chatId: string;
  message: MessageView;
  replying: boolean;
  hydrated: boolean;
  /** The idempotency key an edit or a regeneration posted from this page carries. */
  clientId: string;
}) {
  if (replying) return null;
  const versions = message.versions ? (
    <VersionSwitcher chatId={chatId} versions={message.versions} hydrated={hydrated} />
  ) : null;
  if (message.role === "assistant") {
    const failed =
      message.status === "error" || message.status === "interrupted" || message.status === "stopped";
    return (
      <>
        {versions}
        <RegenerateForm
          chatId={chatId}
          message={message}
          label={failed ? "Retry" : "Regenerate"}
          hydrated={hydrated}
          clientId={clientId}
        />
      </>
    );
  }
  if (message.role === "user") {
    return (
      <>
        {versions}
        <details className="edit-message">
          <summary className="button button--ghost button--small">Edit</summary>
          <EditForm chatId={chatId} message={message} hydrated={hydrated} clientId={clientId} />
        </details>
      </>
    );
  }
  return versions;
}

interface FormProps {
  chatId: string;
  message: MessageView;
  hydrated: boolean;
  clientId: string;
}

function RegenerateForm({ chatId, message, label, hydrated, clientId }: FormProps & { label: string }) {
  const fetcher = useFetcher<ActionResult>({ key: regenerateKey(chatId) });
  return (
    <fetcher.Form method="post" action={`/chats/${chatId}`} className="inline-form">
      <input type="hidden" name="intent" value="retry" />
      <input type="hidden" name="messageId" value={message.id} />
      <input type="hidden" name="clientId" value={clientId} />
      {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
      <button type="submit" className="button button--ghost button--small">
        {label}
      </button>
    </fetcher.Form>
  );
}

function EditForm({ chatId, message, hydrated, clientId }: FormProps) {
  const fetcher = useFetcher<ActionResult>({ key: editKey(chatId) });
  return (
    <fetcher.Form
      method="post"
      action={`/chats/${chatId}`}
      className="edit-message__form"
      onSubmit={(event) => {
        // The edit is shown at once (useOptimisticVersion); the open box would only hide it.
        event.currentTarget.closest("details")?.removeAttribute("open");
      }}
    >
      <input type="hidden" name="intent" value="edit" />
      <input type="hidden" name="messageId" value={message.id} />
      <input type="hidden" name="clientId" value={clientId} />
      {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
      <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
        Edit your message
      </label>
      <textarea
        id={`edit-${message.id}`}
        name="content"
        defaultValue={message.content}
        className="composer__input"
        rows={3}
        required
      />
      <button type="submit" className="button button--primary button--small">
        Save and regenerate
      </button>
    </fetcher.Form>
  );
}
