import type { Kysely } from "kysely";
import type { SharedLinkCache } from "#db/cache/shared-link-cache";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { Database, SharedLinkRow } from "#db/schema";
import * as links from "./shared-links";
import { inTransaction, withListBump } from "./transactions";
import { bumpListVersion } from "./users";
import { publishUserVersions } from "./user-versions";

export type CreateSharedLinkOutcome =
  | { kind: "created"; link: SharedLinkRow }
  | { kind: "not-found" }
  /** The user holds `max` links already: revoking one makes room. */
  | { kind: "full"; max: number };

/**
 * Shared links: read-only copies of a chat behind a token, of which only the hash reaches
 * this module. Postgres holds the copies; a link's page (whatever the caller makes of the row)
 * is cached in the hot store by token hash and buried on revocation (SharedLinkCache).
 *
 * Creating and revoking bump the owner's list version, like any change to what the owner's
 * pages show, so another tab on the list of links picks the change up at its sync check.
 */
export class SharedLinkRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: VersionedCache,
    private readonly pages: SharedLinkCache,
  ) {}

  async create(link: links.NewSharedLink & { maxLinksPerUser: number }): Promise<CreateSharedLinkOutcome> {
    const { maxLinksPerUser, ...fields } = link;
    const outcome = await inTransaction(
      this.db,
      async (trx): Promise<CreateSharedLinkOutcome & { list?: number }> => {
        // Counted in the same transaction: two links made at once can pass one over the bound, no more.
        if ((await links.countSharedLinks(trx, link.userId)) >= maxLinksPerUser)
          return { kind: "full", max: maxLinksPerUser };
        const row = await links.insertSharedLink(trx, fields);
        if (!row) return { kind: "not-found" };
        return { kind: "created", link: row, list: await bumpListVersion(trx, link.userId) };
      },
    );
    if (outcome.list !== undefined) await publishUserVersions(this.cache, link.userId, outcome.list, []);
    return outcome.kind === "created" ? { kind: "created", link: outcome.link } : outcome;
  }

  /**
   * The page of the link whose token hashes to `tokenHash`, made by `present` from its row and
   * cached; null when there is no such link (or it was revoked).
   */
  async open<T>(tokenHash: string, present: (link: SharedLinkRow) => T): Promise<T | null> {
    return this.pages.readThrough(tokenHash, async () => {
      const row = await links.findSharedLinkByTokenHash(this.db, tokenHash);
      return row ? present(row) : null;
    });
  }

  list(userId: string, limit: number): Promise<links.SharedLinkSummary[]> {
    return links.listSharedLinks(this.db, userId, limit);
  }

  /** Revokes one of the user's links: false when it is not theirs (or already gone). */
  async revoke(userId: string, linkId: string): Promise<boolean> {
    const result = await withListBump(this.db, userId, (trx) => links.deleteSharedLink(trx, userId, linkId));
    if (!result) return false;
    await this.pages.forget([result.value]);
    await publishUserVersions(this.cache, userId, result.list, []);
    return true;
  }
}
