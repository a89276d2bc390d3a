import { Form, useFetcher } from "@remix-run/react";
import type { ActionResult } from "#app/lib/action-result";
import { placeFetcherKey } from "#app/lib/sidebar-placement";

/**
 * "Archived — Restore" above an archived chat (opened by its URL or from the archive view).
 * The chat's placement fetcher is shared by key with its sidebar menu, so an archive made
 * there shows the banner at once, and a restore here hides it at once.
 */
export function ArchivedBanner({
  chatId,
  archived,
  hydrated,
}: {
  chatId: string;
  archived: boolean;
  hydrated: boolean;
}) {
  const placement = useFetcher<ActionResult>({ key: placeFetcherKey(chatId) });
  const intent = placement.formData?.get("intent");
  const shown = intent === "archive" ? true : intent === "restore" || intent === "pin" ? false : archived;
  if (!shown) return null;
  const FormElement = hydrated ? placement.Form : Form;
  return (
    <div className="archived-banner" role="status">
      <span>
        <strong>Archived</strong> — kept out of the sidebar, even when you write in it.
      </span>
      <FormElement method="post" action={`/chats/${chatId}`}>
        <input type="hidden" name="intent" value="restore" />
        {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
        <button type="submit" className="button button--small">
          Restore
        </button>
      </FormElement>
      {placement.data && !placement.data.ok ? (
        <p className="archived-banner__error" role="alert">
          {placement.data.error}
        </p>
      ) : null}
    </div>
  );
}
