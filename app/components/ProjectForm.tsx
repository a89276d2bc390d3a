import { Form } from "@remix-run/react";
import type { FieldErrors } from "#app/lib/forms";
import type { ProjectView } from "#app/lib/view-types";

/** Name, icon and instructions of a project: the same form creates and edits. */
export function ProjectForm({
  project,
  errors,
  error,
  submitLabel,
  busy,
}: {
  project?: ProjectView;
  errors?: FieldErrors;
  /** A refusal not about one field (the server could not be reached). */
  error?: string;
  submitLabel: string;
  busy?: boolean;
}) {
  return (
    <Form method="post" className="project-form">
      <input type="hidden" name="intent" value="save" />
      <div className="project-form__row">
        <label className="project-form__field project-form__field--icon">
          <span>Icon</span>
          <input
            name="icon"
            defaultValue={project?.icon ?? "📁"}
            maxLength={16}
            className="text-input"
            aria-describedby="icon-help"
          />
        </label>
        <label className="project-form__field">
          <span>Name</span>
          <input
            name="name"
            defaultValue={project?.name}
            required
            maxLength={80}
            className="text-input"
            aria-invalid={errors?.name ? true : undefined}
            aria-describedby={errors?.name ? "name-error" : undefined}
          />
        </label>
      </div>
      <p id="icon-help" className="project-form__help">
        One emoji, shown beside the project’s name.
      </p>
      {errors?.name ? (
        <p id="name-error" className="field-error" role="alert">
          {errors.name}
        </p>
      ) : null}
      <label className="project-form__field">
        <span>Instructions</span>
        <textarea
          name="instructions"
          defaultValue={project?.instructions}
          rows={8}
          maxLength={8000}
          className="text-input"
          placeholder="What should Parley know or do in every chat of this project? For example: “You are helping me revise for my chemistry exam. Quiz me and explain mistakes.”"
          aria-invalid={errors?.instructions ? true : undefined}
        />
      </label>
      {errors?.instructions ? (
        <p className="field-error" role="alert">
          {errors.instructions}
        </p>
      ) : null}
      {error && !errors ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}
