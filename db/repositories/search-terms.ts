/**
 * What a typed search becomes before it reaches Postgres. The text itself only ever reaches
 * `websearch_to_tsquery` (as a bound parameter), which accepts anything: quotes make a phrase,
 * `or` and `-word` work as on a web search engine, and every other operator character
 * (& | ! : * ( ) <->) is read as a separator, never as tsquery syntax.
 *
 * Part-words ("datab" for "database") need prefix matching, which websearch syntax lacks.
 * For a plain query (no quotes, no `or`, no `-word`: those keep their exact meaning), the
 * words are also matched as prefixes. A word here is a run of letters, digits and combining
 * marks, so nothing of tsquery's syntax can be in it; the query still quotes each one.
 */
export interface SearchTerms {
  /** The query as typed (trimmed), for websearch_to_tsquery. */
  text: string;
  /** Words also matched as prefixes; empty when the query uses operators or has too many words. */
  prefixWords: string[];
}

/** Shorter words are matched whole: a one- or two-letter prefix matches most of the index. */
export const MIN_PREFIX_CHARS = 3;
/** Prefix matching is for short queries; a longer one is specific enough as it stands. */
export const MAX_PREFIX_WORDS = 4;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const USES_OPERATORS = /["“”]|(^|\s)-\S|(^|\s)or(\s|$)/iu;

export function searchTerms(query: string): SearchTerms {
  const text = query.trim();
  if (USES_OPERATORS.test(text)) return { text, prefixWords: [] };
  const words = text.match(WORD) ?? [];
  if (words.length === 0 || words.length > MAX_PREFIX_WORDS) return { text, prefixWords: [] };
  return { text, prefixWords: words.map((word) => word.toLowerCase()) };
}
