import { useLocation, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { SEARCH_FIELD_ID, shortcutFor, type Shortcut } from "#app/lib/shortcuts";

/** The message box (app/components/chat/Composer.tsx). */
const COMPOSER = "textarea[data-composer]";

export function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);
}

/**
 * Listens for Parley's keyboard shortcuts on the whole page (app/lib/shortcuts.ts says which
 * keys mean what) and acts on them. Returns whether the help dialog is open, and its closer.
 */
export function useShortcuts() {
  const navigate = useNavigate();
  const location = useLocation();
  const [helpOpen, setHelpOpen] = useState(false);
  // The listener is added once; it reads the current page from here.
  const pathname = useRef(location.pathname);
  pathname.current = location.pathname;

  useEffect(() => {
    const mac = isMac();
    const act: Record<Shortcut, () => boolean> = {
      search: () => {
        const field = document.getElementById(SEARCH_FIELD_ID) as HTMLInputElement | null;
        if (pathname.current === "/search" && field) {
          field.focus();
          field.select();
        } else navigate("/search");
        return true;
      },
      "new-chat": () => {
        if (pathname.current === "/chats") document.querySelector<HTMLElement>(COMPOSER)?.focus();
        else navigate("/chats");
        return true;
      },
      "focus-composer": () => {
        const composer = document.querySelector<HTMLElement>(COMPOSER);
        composer?.focus();
        return Boolean(composer);
      },
      "stop-reply": () => {
        const stop = document.querySelector<HTMLFormElement>("form[data-stop-form]");
        stop?.requestSubmit();
        return Boolean(stop);
      },
      help: () => {
        setHelpOpen(true);
        return true;
      },
    };
    const onKey = (event: KeyboardEvent) => {
      // A handler nearer the target (rename's Esc, a menu) has taken the key; an open dialog
      // (this help, the delete confirmation) owns the keyboard until it closes.
      if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
      const shortcut = shortcutFor(event, mac);
      if (shortcut && act[shortcut]()) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);

  return { helpOpen, closeHelp: () => setHelpOpen(false) };
}
