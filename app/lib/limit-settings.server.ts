import { z } from "zod";

/**
 * The throttling and quota settings, a part of the environment schema (config.server.ts).
 * Every limit is a positive whole number or "off" (read as null: no limit). README's
 * "Limits" table and .env.example say what each one counts.
 */
const limit = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, context): number | null => {
      if (raw === undefined) return fallback;
      const value = raw.trim().toLowerCase();
      if (value === "off") return null;
      const number = Number(value);
      if (/^\d+$/.test(value) && number > 0 && Number.isSafeInteger(number)) return number;
      context.addIssue({ code: "custom", message: 'must be a positive whole number or "off"' });
      return z.NEVER;
    });

export const limitSettings = {
  MESSAGES_PER_HOUR: limit(100),
  GUEST_MESSAGES_PER_HOUR: limit(20),
  CHATS_PER_HOUR: limit(30),
  GUESTS_PER_IP_PER_HOUR: limit(30),
  SIGNIN_FAILURES_BEFORE_DELAY: limit(5),
  SIGNIN_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(900),
  SIGNIN_FAILURES_PER_IP_PER_HOUR: limit(30),
  SIGNIN_FAILURES_PER_EMAIL_PER_HOUR: limit(100),
};
