/**
 * The plain rules of the account forms, shared by the pages (which show them) and the zod
 * schemas in account-forms.ts (which enforce them), so zod stays out of the page bundle.
 */
export const EMAIL_MAX_CHARS = 254;
export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 1_024;

export const SIGNUPS_CLOSED = "Sign-ups are closed on this Parley. Ask its owner for an account.";
