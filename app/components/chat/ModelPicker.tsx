import { useFetcher } from "@remix-run/react";
import type { ActionResult } from "#app/lib/action-result";

/** The chat's model, from the provider's list. With JavaScript a choice applies at once. */
export function ModelPicker({
  chatId,
  models,
  current,
  hydrated,
}: {
  chatId: string;
  models: string[];
  current: string;
  hydrated: boolean;
}) {
  const fetcher = useFetcher<ActionResult>({ key: `model:${chatId}` });
  const pending = fetcher.formData?.get("model");
  const value = typeof pending === "string" ? pending : current;
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  if (models.length <= 1 && models[0] === current) {
    return (
      <span className="model-picker__single" title="Model">
        {current}
      </span>
    );
  }
  return (
    <fetcher.Form method="post" action={`/chats/${chatId}`} className="model-picker">
      <input type="hidden" name="intent" value="model" />
      {hydrated ? <input type="hidden" name="via" value="fetcher" /> : null}
      <label htmlFor={`model-${chatId}`} className="visually-hidden">
        Model
      </label>
      <select
        id={`model-${chatId}`}
        name="model"
        value={value}
        className="model-picker__select"
        onChange={(event) => {
          if (hydrated) fetcher.submit(event.currentTarget.form);
        }}
      >
        {models.map((model) => (
          <option key={model} value={model}>
            {model}
          </option>
        ))}
      </select>
      {hydrated ? null : (
        <button type="submit" className="button button--small">
          Use
        </button>
      )}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
