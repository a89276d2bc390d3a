import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { searchChats, type SearchCursor, type SearchPage } from "./search";
import type { SearchTerms } from "./search-terms";

/**
 * Search reads Postgres directly, never the hot cache: a query's results are asked for once,
 * and caching them would need every write to know every query it changes.
 */
export class SearchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  search(
    userId: string,
    terms: SearchTerms,
    options: { limit: number; after?: SearchCursor },
  ): Promise<SearchPage> {
    return searchChats(this.db, userId, terms, options);
  }
}
