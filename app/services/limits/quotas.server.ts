import type { RateRule } from "#db/hot-store/hot-store";
import { log } from "#app/lib/logger.server";
import type { Runtime } from "#app/services/runtime.server";
import { limitStore } from "./limit-store.server";
import { isGuest } from "./user-kind.server";
import { plural, refusal, type Refusal } from "./refusal.server";

/**
 * Quotas on writes, checked before anything is written, any guest created or any model
 * called: messages per user per hour (lower for guests), new chats per user per hour, new
 * guests per client address per hour. Counted in the hot store (limit-store.server.ts).
 */

/** Who is writing: an existing user, or a guest this request would create (`isNew`). */
export interface Writer {
  userId: string;
  isNew: boolean;
}

/** What the write costs: a message (a send, an edit or a regeneration: each calls the model), a new chat. */
export interface WriteCost {
  message?: boolean;
  chat?: boolean;
}

const HOUR_SECONDS = 3600;

let unknownAddressLogged = false;

interface Quota {
  key: string;
  limit: number;
  message: (wait: string) => string;
}

type QuotaRuntime = Pick<Runtime, "config" | "store" | "database">;

/**
 * Counts the write against every quota it touches, or refuses it (counting nothing) when one
 * is used up. Null: go ahead. `address` is the client's (client-address.server.ts); when it is
 * unknown, new guests are not limited by address.
 */
export async function admitWrite(
  runtime: QuotaRuntime,
  writer: Writer,
  cost: WriteCost,
  address: string | null,
): Promise<Refusal | null> {
  const quotas = await quotasFor(runtime, writer, cost, address);
  if (quotas.length === 0) return null;
  const store = limitStore(runtime.store);
  const rule = (quota: Quota): RateRule => ({ windowSeconds: HOUR_SECONDS, limit: quota.limit });
  // With several quotas, look before counting, so that one used up does not spend the others.
  if (quotas.length > 1) {
    const looks = await Promise.all(
      quotas.map((quota) => store.attempt(quota.key, rule(quota), { peek: true })),
    );
    const refused = looks.findIndex((verdict) => !verdict.allowed);
    if (refused >= 0) return refusal(looks[refused].waitMs, quotas[refused].message);
  }
  const verdicts = await Promise.all(quotas.map((quota) => store.attempt(quota.key, rule(quota))));
  const refused = verdicts.findIndex((verdict) => !verdict.allowed);
  return refused >= 0 ? refusal(verdicts[refused].waitMs, quotas[refused].message) : null;
}

/** A user's own quota counters (named here, and removed with the account). */
export const userQuotaKeys = {
  messages: (userId: string) => `limit:messages:${userId}`,
  chats: (userId: string) => `limit:chats:${userId}`,
  sharedLinks: (userId: string) => `limit:shared-links:${userId}`,
};

async function quotasFor(
  runtime: QuotaRuntime,
  writer: Writer,
  cost: WriteCost,
  address: string | null,
): Promise<Quota[]> {
  const config = runtime.config;
  const quotas: Quota[] = [];
  const guestsPerAddress = config.GUESTS_PER_IP_PER_HOUR;
  if (writer.isNew && guestsPerAddress !== null && address === null && !unknownAddressLogged) {
    unknownAddressLogged = true;
    log.warn(
      "limits: the client's address is unknown (remix-serve without TRUST_PROXY=true?), so new guests are not limited per address",
    );
  }
  if (writer.isNew && guestsPerAddress !== null && address !== null) {
    quotas.push({
      key: `limit:guests:${address}`,
      limit: guestsPerAddress,
      message: (wait) => `Too many new visitors from your network in the last hour. Try again ${wait}.`,
    });
  }
  const messages = cost.message ? await messageLimit(runtime, writer) : null;
  if (messages) {
    quotas.push({
      key: userQuotaKeys.messages(writer.userId),
      limit: messages.limit,
      message: (wait) =>
        `You have reached the limit of ${plural(messages.limit, "message")} an hour${messages.guest ? " for guests" : ""}. ` +
        `You can send another ${wait}.`,
    });
  }
  const chats = config.CHATS_PER_HOUR;
  if (cost.chat && chats !== null) {
    quotas.push({
      key: userQuotaKeys.chats(writer.userId),
      limit: chats,
      message: (wait) =>
        `You have reached the limit of ${plural(chats, "new chat")} an hour. You can start another ${wait}, ` +
        `or go on in one of your chats.`,
    });
  }
  return quotas;
}

/** A guest never gets more than an account. The user's kind is read only when it matters. */
async function messageLimit(
  runtime: QuotaRuntime,
  writer: Writer,
): Promise<{ limit: number; guest: boolean } | null> {
  const accounts = runtime.config.MESSAGES_PER_HOUR;
  const guestsOwn = runtime.config.GUEST_MESSAGES_PER_HOUR;
  const guests = accounts === null ? guestsOwn : Math.min(guestsOwn ?? accounts, accounts);
  if (guests === accounts) return accounts === null ? null : { limit: accounts, guest: false };
  const guest = writer.isNew || (await isGuest(runtime.database.db, writer.userId));
  const limit = guest ? guests : accounts;
  return limit === null ? null : { limit, guest };
}
