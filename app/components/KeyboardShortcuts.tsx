import { useEffect, useRef } from "react";
import { isMac, useShortcuts } from "#app/hooks/useShortcuts";
import { SHORTCUT_HELP } from "#app/lib/shortcuts";

/** The page-wide keyboard shortcuts, and their help dialog (opened with `?`). */
export function KeyboardShortcuts() {
  const { helpOpen, closeHelp } = useShortcuts();
  return helpOpen ? <ShortcutsHelp onClose={closeHelp} /> : null;
}

/**
 * A modal dialog: showModal moves focus into it (to Close) and keeps it there; Esc and Close
 * shut it, and focus goes back to where it was.
 */
function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    const before = document.activeElement as HTMLElement | null;
    if (element && !element.open) element.showModal();
    return () => {
      element?.close();
      before?.focus();
    };
  }, []);
  const mod = isMac() ? "⌘" : "Ctrl";
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="shortcuts-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="shortcuts-title" className="dialog__title">
        Keyboard shortcuts
      </h2>
      <dl className="shortcuts">
        {SHORTCUT_HELP.map(({ shortcut, keys, does }) => (
          <div key={shortcut} className="shortcuts__row">
            <dt>
              {keys.map((combo, index) => (
                <span key={combo.join("+")}>
                  {index > 0 ? <span className="shortcuts__or"> or </span> : null}
                  {combo.map((key) => (
                    <kbd key={key}>{key === "mod" ? mod : key}</kbd>
                  ))}
                </span>
              ))}
            </dt>
            <dd>{does}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
