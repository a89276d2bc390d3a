import { useFetcher } from "@remix-run/react";
import type { ActionResult } from "#app/lib/action-result";
import type { MessageVersions } from "#app/lib/view-types";

/** The switchers' shared fetcher key: any switcher's pending choice is the route's too. */
export const versionKey = (chatId: string) => `version:${chatId}`;

/**
 * "‹ 2 / 3 ›" under a message that has other versions: each arrow posts the version to show
 * (a plain form post without JavaScript; a fetcher with it, showing the new position at once).
 * The server then shows that version with the continuation last chosen under it.
 */
export function VersionSwitcher({
  chatId,
  versions,
  hydrated,
}: {
  chatId: string;
  versions: MessageVersions;
  hydrated: boolean;
}) {
  const fetcher = useFetcher<ActionResult>({ key: versionKey(chatId) });
  const target = fetcher.formData?.get("messageId");
  const shown =
    target && target === versions.previousId
      ? versions.position - 1
      : target && target === versions.nextId
        ? versions.position + 1
        : versions.position;
  return (
    <fetcher.Form method="post" action={`/chats/${chatId}`} className="versions">
      <input type="hidden" name="intent" value="version" />
      {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
      <VersionButton label="Previous version" glyph="‹" messageId={versions.previousId} />
      <span className="versions__count">
        {shown} / {versions.count}
      </span>
      <VersionButton label="Next version" glyph="›" messageId={versions.nextId} />
    </fetcher.Form>
  );
}

function VersionButton({
  label,
  glyph,
  messageId,
}: {
  label: string;
  glyph: string;
  messageId: string | null;
}) {
  return (
    <button
      type="submit"
      name="messageId"
      value={messageId ?? ""}
      className="button button--ghost button--small versions__step"
      disabled={!messageId}
      title={label}
    >
      <span aria-hidden="true">{glyph}</span>
      <span className="visually-hidden">{label}</span>
    </button>
  );
}
