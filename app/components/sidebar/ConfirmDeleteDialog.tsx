import { useEffect, useRef } from "react";

/**
 * "Delete this chat?" in a modal dialog: Esc cancels, and focus starts on Cancel (the first
 * control, which showModal focuses), so an Enter pressed out of habit deletes nothing.
 */
export function ConfirmDeleteDialog({
  title,
  onConfirm,
  onCancel,
}: {
  title: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="delete-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="delete-dialog-title" className="dialog__title">
        Delete chat?
      </h2>
      <p className="dialog__body">“{title}” and all its messages will be deleted. This cannot be undone.</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm}>
          Delete
        </button>
      </div>
    </dialog>
  );
}
