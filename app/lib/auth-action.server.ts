import { data } from "@remix-run/node";
import type { z } from "zod";
import type { ActionFailure } from "./action-result";
import { fieldErrors, type FieldErrors } from "./forms";

/** A refused auth form: the reason, field messages, and the email typed (never the password). */
export type AuthFailure = ActionFailure & { email?: string; intent?: string };

/** The email field as typed, to put back in the form after a refusal without JavaScript. */
function typedEmail(form: FormData): string | undefined {
  const value = form.get("email");
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  return typeof value === "string" ? value.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 254) : undefined;
}

export function authFailure(status: number, error: string, fields: FieldErrors | undefined, form: FormData) {
  const intent = form.get("intent");
  return data<AuthFailure>(
    {
      ok: false,
      error,
      fieldErrors: fields,
      email: typedEmail(form),
      intent: typeof intent === "string" ? intent.slice(0, 40) : undefined,
    },
    { status },
  );
}

/** The form parsed by `schema`, or a 400 naming each field's problem. */
export function parseAuthForm<T extends z.ZodType>(
  schema: T,
  form: FormData,
): { success: true; data: z.infer<T> } | { success: false; response: ReturnType<typeof authFailure> } {
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { success: true, data: parsed.data };
  const fields = fieldErrors(parsed.error);
  return {
    success: false,
    response: authFailure(400, Object.values(fields)[0] ?? "Invalid input.", fields, form),
  };
}
