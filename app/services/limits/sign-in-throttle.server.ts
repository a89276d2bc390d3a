import { createHmac } from "node:crypto";
import type { RateRule, RateVerdict } from "#db/hot-store/hot-store";
import type { Runtime } from "#app/services/runtime.server";
import { limitStore } from "./limit-store.server";
import { refusal, type Refusal } from "./refusal.server";

/**
 * Throttling of password sign-ins, in three rules (each a setting; README "Limits"):
 *
 * 1. Per email *and* address: SIGNIN_FAILURES_BEFORE_DELAY failures are free, then each next
 *    attempt must wait 1 s after the previous one, then 2 s, 4 s… up to
 *    SIGNIN_MAX_DELAY_SECONDS. This is what slows a guesser down. It is kept per address so
 *    that someone hammering your email from their machine does not lock you out of yours.
 * 2. Per address: at most SIGNIN_FAILURES_PER_IP_PER_HOUR failures over all emails, then
 *    refused until the hour is over (one machine trying many accounts).
 * 3. Per email: once SIGNIN_FAILURES_PER_EMAIL_PER_HOUR failures came from everywhere (many
 *    machines guessing one account), an address that has already failed for that email is
 *    refused until the hour is over; an address with no failure for it may still try. So a
 *    botnet gets one guess per address per hour, and the owner, on any device that has not
 *    just mistyped, still gets in. The trade-off: an owner who mistypes during such an attack
 *    waits out the hour on that device (or signs in from another); and a botnet with more
 *    addresses than the limit still gets one guess per address, which only a second factor
 *    would stop.
 *
 * An attempt counts as a failure from the moment `check` lets it through (so concurrent
 * guesses cannot all pass one check) until `recordSuccess` forgives it. A success does not
 * lift rules 2 and 3: otherwise a guesser with one account of their own could reset their
 * address's count between guesses. Unknown emails are treated exactly like known ones, and
 * emails are kept only as keyed hashes.
 *
 * Use, in the sign-in action, after the form is valid and before the password is checked:
 *
 *   const throttle = signInThrottle(runtime);
 *   const attempt = { email, ip: clientAddress(request, context, runtime.config.TRUST_PROXY) };
 *   const verdict = await throttle.check(attempt);
 *   if (!verdict.allowed) return tooManyRequests(verdict, "email");
 *   if (!passwordMatches) { await throttle.recordFailure(attempt); return failure(400, …); }
 *   await throttle.recordSuccess(attempt);
 */

export interface SignInAttempt {
  /** As typed: compared trimmed and case-insensitively. */
  email: string;
  /** The client's address (clientAddress()); null when it cannot be known. */
  ip: string | null;
}

export type SignInVerdict = { allowed: true } | ({ allowed: false } & Refusal);

export interface SignInThrottle {
  /** Whether this attempt may go on to the password check; if so, it counts as a failure for now. */
  check(attempt: SignInAttempt): Promise<SignInVerdict>;
  /** The password was wrong (or the email unknown). */
  recordFailure(attempt: SignInAttempt): Promise<void>;
  /** The password was right: this address's failures for this email are forgiven. */
  recordSuccess(attempt: SignInAttempt): Promise<void>;
}

const HOUR_SECONDS = 3600;
/** How long an address's failures for one email are remembered (unless a success forgives them). */
const PAIR_WINDOW_SECONDS = 24 * HOUR_SECONDS;

const MESSAGE = (wait: string) => `Too many sign-in attempts. Try again ${wait}.`;

export function signInThrottle(
  runtime: Pick<Runtime, "config" | "store">,
  /** The first delay; tests shorten it. */
  { delayBaseMs = 1000 }: { delayBaseMs?: number } = {},
): SignInThrottle {
  const config = runtime.config;
  const store = limitStore(runtime.store);
  const before = config.SIGNIN_FAILURES_BEFORE_DELAY;
  const perIp = config.SIGNIN_FAILURES_PER_IP_PER_HOUR;
  const perEmail = config.SIGNIN_FAILURES_PER_EMAIL_PER_HOUR;

  // Rule 1 also keeps the per-address failures rule 3 asks about, so it exists if either does.
  const pairRule: RateRule | null =
    before === null && perEmail === null
      ? null
      : {
          windowSeconds: PAIR_WINDOW_SECONDS,
          limit: Number.MAX_SAFE_INTEGER,
          backoff:
            before === null
              ? undefined
              : {
                  after: before,
                  baseMs: delayBaseMs,
                  maxMs: Math.max(delayBaseMs, config.SIGNIN_MAX_DELAY_SECONDS * 1000),
                },
        };
  const ipRule: RateRule | null = perIp === null ? null : { windowSeconds: HOUR_SECONDS, limit: perIp };
  const emailRule: RateRule | null =
    perEmail === null ? null : { windowSeconds: HOUR_SECONDS, limit: perEmail };

  const emailKey = (email: string) =>
    createHmac("sha256", config.SESSION_SECRET)
      .update(`sign-in:${email.trim().toLowerCase()}`)
      .digest("base64url")
      .slice(0, 22);
  const keys = ({ email, ip }: SignInAttempt) => {
    const hashed = emailKey(email);
    return {
      // Unknown addresses share one bucket per email: stricter, never looser.
      pair: `limit:sign-in:pair:${hashed}:${ip ?? "unknown"}`,
      ip: ip === null ? null : `limit:sign-in:ip:${ip}`,
      email: `limit:sign-in:email:${hashed}`,
    };
  };
  const peek = (key: string | null, rule: RateRule | null): Promise<RateVerdict | null> =>
    key && rule ? store.attempt(key, rule, { peek: true }) : Promise.resolve(null);
  const refused = (waitMs: number): SignInVerdict => ({ allowed: false, ...refusal(waitMs, MESSAGE) });

  return {
    async check(attempt) {
      const key = keys(attempt);
      const [ip, email, pair] = await Promise.all([
        peek(key.ip, ipRule),
        peek(key.email, emailRule),
        peek(key.pair, pairRule),
      ]);
      if (ip && !ip.allowed) return refused(ip.waitMs);
      if (pair && !pair.allowed) return refused(pair.waitMs);
      if (email && !email.allowed && pair && pair.count > 0) return refused(email.waitMs);
      if (pairRule) {
        const counted = await store.attempt(key.pair, pairRule);
        if (!counted.allowed) return refused(counted.waitMs);
      }
      return { allowed: true };
    },

    async recordFailure(attempt) {
      const key = keys(attempt);
      await Promise.all([
        key.ip && ipRule ? store.attempt(key.ip, ipRule) : null,
        emailRule ? store.attempt(key.email, emailRule) : null,
      ]);
    },

    async recordSuccess(attempt) {
      if (pairRule) await store.forget(keys(attempt).pair);
    },
  };
}
