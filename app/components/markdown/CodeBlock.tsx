import { useCallback, useEffect, useRef, useState } from "react";
import { copyToClipboard, COPIED_RESET_MS } from "./copy";

/** Fallback when copying is impossible: select the code so the user can copy it by hand. */
function selectContents(element: HTMLElement | null) {
  if (!element || typeof window === "undefined") return;
  const selection = window.getSelection?.();
  if (!selection) return;
  selection.removeAllRanges();
  selection.selectAllChildren(element);
}

type CopyState = "idle" | "copied" | "selected";

const LABELS: Record<CopyState, string> = {
  idle: "Copy",
  copied: "Copied",
  selected: "Selected",
};

const STATUS: Record<CopyState, string> = {
  idle: "",
  copied: "Code copied to clipboard",
  selected: "Clipboard unavailable; code selected, copy it manually",
};

export interface CodeBlockProps {
  /** Source code, shown verbatim (React escapes it). */
  code: string;
  /** Language from the fence info string (```ts → "ts"), if any. */
  language?: string;
}

/**
 * A fenced code block: `<figure class="code-block">` with a header (language +
 * copy button) and the code. Server-rendered markup works without JavaScript;
 * the button is then simply inert.
 */
export function CodeBlock({ code, language }: CodeBlockProps) {
  const [state, setState] = useState<CopyState>("idle");
  const codeRef = useRef<HTMLElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const onCopy = useCallback(async () => {
    const ok = await copyToClipboard(code);
    if (!ok) selectContents(codeRef.current);
    setState(ok ? "copied" : "selected");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), COPIED_RESET_MS);
  }, [code]);

  return (
    <figure className="code-block" data-language={language || undefined}>
      <div className="code-block__header">
        {language ? <span className="code-block__lang">{language}</span> : null}
        <button
          type="button"
          className={state === "idle" ? "code-block__copy" : "code-block__copy code-block__copy--" + state}
          aria-label="Copy code"
          onClick={onCopy}
        >
          {LABELS[state]}
        </button>
        <span className="code-block__status" role="status" aria-live="polite">
          {STATUS[state]}
        </span>
      </div>
      <pre className="code-block__pre">
        <code
          ref={codeRef}
          className={language ? "code-block__code language-" + language : "code-block__code"}
        >
          {code}
        </code>
      </pre>
    </figure>
  );
}
