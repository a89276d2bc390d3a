import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { ActionFailure, SharedLinkCreated } from "#app/lib/action-result";
import { copyToClipboard, COPIED_RESET_MS } from "#app/components/markdown/copy";

export type ShareResult = SharedLinkCreated | ActionFailure;

/**
 * The chat's Share menu: makes a read-only link to the chat as it is now. Without JavaScript
 * the form posts and the page comes back with the link (SharedLinkNotice); with it, the link
 * appears in the menu at once, with a Copy button.
 */
export function ShareMenu({ chatId, hydrated }: { chatId: string; hydrated: boolean }) {
  const share = useFetcher<ShareResult>({ key: `share:${chatId}` });
  const result = share.state === "idle" ? share.data : undefined;
  return (
    <details className="share-menu">
      <summary className="button button--small">Share</summary>
      <div className="menu-popover share-menu__popover">
        <p className="share-menu__lead">
          Anyone with the link can read this chat as it is now. Messages you send later are not shared.
        </p>
        <share.Form method="post" action={`/chats/${chatId}`}>
          <input type="hidden" name="intent" value="share" />
          <button
            type="submit"
            className="button button--primary button--small"
            disabled={share.state !== "idle"}
          >
            {share.state !== "idle" ? "Creating link…" : "Create link"}
          </button>
        </share.Form>
        {result ? <SharedLinkResult result={result} hydrated={hydrated} /> : null}
        <Link to="/shared-links" className="share-menu__manage">
          Your shared links
        </Link>
      </div>
    </details>
  );
}

/** The link just made (shown once), or why none was. */
export function SharedLinkResult({ result, hydrated }: { result: ShareResult; hydrated: boolean }) {
  if (!result.ok) {
    return (
      <p className="field-error" role="alert">
        {result.error}
      </p>
    );
  }
  return (
    <div className="shared-link" role="status">
      <label className="shared-link__label" htmlFor="shared-link-url">
        Your link (copy it now: Parley shows it only once)
      </label>
      <div className="shared-link__row">
        <input
          id="shared-link-url"
          className="text-input shared-link__url"
          readOnly
          value={result.sharedUrl}
          onFocus={(event) => event.currentTarget.select()}
        />
        {hydrated ? <CopyButton text={result.sharedUrl} /> : null}
      </div>
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      className="button button--small"
      onClick={async () => {
        if (!(await copyToClipboard(text))) return;
        setCopied(true);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setCopied(false), COPIED_RESET_MS);
      }}
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}
