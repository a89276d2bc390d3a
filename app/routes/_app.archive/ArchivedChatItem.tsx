import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ConfirmDeleteDialog } from "#app/components/sidebar/ConfirmDeleteDialog";
import type { ActionResult } from "#app/lib/action-result";
import { placeFetcherKey } from "#app/lib/sidebar-placement";
import type { ArchivedChatSummary } from "#app/lib/view-types";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * One archived chat: open it, Restore it, or Delete it after a confirmation (a dialog with
 * JavaScript, the chat's confirmation page without). With JavaScript both act at once and
 * the row leaves; a refusal brings it back with the reason.
 */
export function ArchivedChatItem({
  chat,
  hydrated,
  onRefused,
}: {
  chat: ArchivedChatSummary;
  hydrated: boolean;
  onRefused: (message: string) => void;
}) {
  const restore = useFetcher<ActionResult>({ key: placeFetcherKey(chat.id) });
  const remove = useFetcher<ActionResult>({ key: `delete:${chat.id}` });
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (restore.data && !restore.data.ok) onRefused(restore.data.error);
  }, [restore.data, onRefused]);
  useEffect(() => {
    if (remove.data && !remove.data.ok) onRefused(remove.data.error);
  }, [remove.data, onRefused]);
  if (restore.state !== "idle" || remove.state !== "idle") return null;

  const action = `/chats/${chat.id}`;
  const RestoreForm = hydrated ? restore.Form : Form;
  return (
    <li className="archive__item">
      <div className="archive__text">
        <Link to={action} className="archive__title">
          {chat.title}
        </Link>
        <span className="archive__when">
          Archived <time dateTime={chat.archivedAt}>{dateFormat.format(new Date(chat.archivedAt))}</time>
        </span>
      </div>
      <div className="archive__actions">
        <RestoreForm method="post" action={action}>
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="redirectTo" value="/archive" />
          {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
          <button type="submit" className="button button--small" aria-label={`Restore ${chat.title}`}>
            Restore
          </button>
        </RestoreForm>
        {hydrated ? (
          <button
            type="button"
            className="button button--small button--ghost-danger"
            aria-label={`Delete ${chat.title}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        ) : (
          <Link
            to={`${action}/delete?from=archive`}
            className="button button--small button--ghost-danger"
            aria-label={`Delete ${chat.title}`}
          >
            Delete
          </Link>
        )}
      </div>
      {confirming ? (
        <ConfirmDeleteDialog
          title={chat.title}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            remove.submit({ intent: "delete", via: "fetcher" }, { method: "post", action });
          }}
        />
      ) : null}
    </li>
  );
}
