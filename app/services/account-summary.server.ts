import type { AccountSummary } from "#db/repositories/accounts";
import type { Runtime } from "./runtime.server";

export type { AccountSummary };

/** Who the user is, for the sidebar and the account checks: an account's email, or a guest (cached). */
export async function readAccount(
  runtime: Runtime,
  userId: string | null,
  listVersion?: number,
): Promise<AccountSummary | null> {
  if (!userId) return null;
  return runtime.accounts.summary(userId, listVersion);
}
