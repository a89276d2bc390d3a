import { z } from "zod";
import { EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from "./account-rules";

/**
 * The schemas of the sign-up, sign-in and account forms (the actions' final say). Unknown
 * fields are dropped: nothing a form sends can name a user, a guest or a chat to move; the
 * moves start from the session alone.
 */
const NO_NUL = (value: string) => !value.includes("\0");

/** Trimmed and lower-cased: the form an email is stored and compared in. */
export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX_CHARS, `Emails can be at most ${EMAIL_MAX_CHARS} characters.`)
  .pipe(z.email("Enter an email address like name@example.com."));

/** A password being chosen. Never trimmed: every character counts. */
export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN_CHARS, `Passwords need at least ${PASSWORD_MIN_CHARS} characters.`)
  .max(PASSWORD_MAX_CHARS, "Passwords can be at most 1,024 characters.")
  .refine(NO_NUL, "Passwords cannot contain a NUL character.");

/** A password being checked: only bounded, so a rule made later never locks out an older account. */
const passwordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(PASSWORD_MAX_CHARS, "Passwords can be at most 1,024 characters.")
  .refine(NO_NUL, "Passwords cannot contain a NUL character.");

/** Where to go afterwards: a path on this site (printable ASCII, as URLs are), never another origin. */
const returnToSchema = z
  .string()
  .max(2_000, "Invalid return address.")
  .regex(/^\/(?![/\\])[\x21-\x7e]*$/, "Invalid return address.")
  .refine((value) => !value.includes("\\"), "Invalid return address.")
  .optional()
  .or(z.literal("").transform(() => undefined));

export const signUpSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  redirectTo: returnToSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  redirectTo: returnToSchema,
});

/** A session on the account page is named by a digest of its id, never the id itself. */
export const endSessionSchema = z.object({
  intent: z.literal("end-session"),
  session: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "Unknown session."),
});

export const endOtherSessionsSchema = z.object({ intent: z.literal("end-other-sessions") });

export const changePasswordSchema = z.object({
  intent: z.literal("change-password"),
  currentPassword: passwordSchema,
  newPassword: newPasswordSchema,
});

export const deleteAccountSchema = z.object({
  intent: z.literal("delete-account"),
  password: passwordSchema,
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
