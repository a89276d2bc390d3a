import type { InputHTMLAttributes } from "react";
import { EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "#app/lib/account-rules";

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

/** A password the person already has (sign-in, confirming a change or a deletion). */
export function CurrentPasswordField({
  label = "Password",
  name = "password",
  error,
}: {
  label?: string;
  name?: string;
  error?: string;
}) {
  return (
    <AuthField
      label={label}
      name={name}
      type="password"
      autoComplete="current-password"
      required
      maxLength={PASSWORD_MAX_CHARS}
      error={error}
    />
  );
}

/** A password being chosen (sign-up, a change), with its rule said under it. */
export function NewPasswordField({
  label = "Password",
  name = "password",
  hint = "",
  error,
}: {
  label?: string;
  name?: string;
  hint?: string;
  error?: string;
}) {
  return (
    <AuthField
      label={label}
      name={name}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_CHARS}
      maxLength={PASSWORD_MAX_CHARS}
      hint={`At least ${PASSWORD_MIN_CHARS} characters.${hint ? ` ${hint}` : ""}`}
      error={error}
    />
  );
}
