import type { InputHTMLAttributes } from "react";
import { EMAIL_MAX_CHARS } from "#app/lib/account-rules";

/** A labelled input with its field message under it (announced when it appears). */
export function AuthField({
  label,
  name,
  error,
  hint,
  ...input
}: { label: string; name: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [hint ? `${name}-hint` : null, error ? `${name}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="auth-form__field">
      <label htmlFor={`field-${name}`}>{label}</label>
      <input
        id={`field-${name}`}
        name={name}
        className="text-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <p id={`${name}-hint`} className="auth-form__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A refusal that is not about one field (wrong credentials, sign-ups closed, unreachable). */
export function FormError({ error }: { error?: string }) {
  if (!error) return null;
  return (
    <p className="field-error auth-form__error" role="alert">
      {error}
    </p>
  );
}

/** The email field of the sign-up and sign-in forms (the browser's saved username). */
export function EmailField({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <AuthField
      label="Email"
      name="email"
      type="email"
      autoComplete="username"
      required
      maxLength={EMAIL_MAX_CHARS}
      defaultValue={defaultValue}
      error={error}
    />
  );
}
