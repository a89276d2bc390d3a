import { sql, type RawBuilder } from "kysely";
import type { MessageRole } from "#db/schema";
import type { Db } from "./db-type";
import { splitPage } from "./keyset";
import { MIN_PREFIX_CHARS, type SearchTerms } from "./search-terms";

/**
 * Full-text search over one user's chats: titles and message text, ranked, each hit with a
 * highlighted snippet. The vectors and their GIN indexes are kept by the database
 * (migrations/2026-12-03T1000_search.ts); this module only reads them.
 */

/**
 * Private-use characters around each matched word of a title or snippet: the only markup a
 * snippet holds. The page turns them into <mark> and renders everything else as text.
 */
export const SNIPPET_MARKS = { start: "\uE000", end: "\uE001" } as const;

/** Where a page of hits continues: the last hit's rank (Postgres' exact float8 text) and id. */
export interface SearchCursor {
  rank: string;
  id: string;
}

export interface SearchHit {
  chatId: string;
  /** The matching message; null when the hit is the chat's title. */
  messageId: string | null;
  role: MessageRole | null;
  /** The message's time, or the chat's last activity for a title hit. */
  at: Date;
  /** The title with matched words between SNIPPET_MARKS.start and .end. */
  title: string;
  /** A passage of the message around its matches, marked the same way; null for a title hit. */
  snippet: string | null;
  rank: string;
}

export interface SearchPage {
  hits: SearchHit[];
  next?: SearchCursor;
}

/**
 * The messages search looks in: those of the user's own chats. Only those on a chat's visible
 * branch are hits; that is checked on each ranked batch (`visibleOnly` below), not here, as
 * a walk of every chat's branch per query costs too much for a user with thousands of chats.
 */
export function searchableMessages(db: Db, userId: string) {
  return db
    .selectFrom("messages")
    .innerJoin("chats", "chats.id", "messages.chat_id")
    .select(["messages.id", "messages.chat_id", sql<string>`messages.search_vector`.as("search_vector")])
    .where("chats.user_id", "=", userId);
}

/**
 * The tsquery, built by Postgres from bound parameters only: the typed text through both
 * configurations (as the vectors hold it), and for a plain query its words as prefixes.
 */
function matchQuery(terms: SearchTerms): RawBuilder<unknown> {
  const parts = [
    sql`websearch_to_tsquery('english', ${terms.text})`,
    sql`websearch_to_tsquery('simple', ${terms.text})`,
  ];
  if (terms.prefixWords.length > 0) {
    const words = terms.prefixWords.map((word) =>
      word.length >= MIN_PREFIX_CHARS
        ? sql`to_tsquery('simple', quote_literal(${word}::text) || ':*')`
        : sql`to_tsquery('simple', quote_literal(${word}::text))`,
    );
    parts.push(sql`(${sql.join(words, sql` && `)})`);
  }
  return sql`(${sql.join(parts, sql` || `)})`;
}

// ts_headline drops anything its parser takes for an HTML tag, so '<' goes in as a stand-in
// and comes back as text; the marks are removed from the text first, so that any the snippet
// holds are Parley's own.
const { start, end } = SNIPPET_MARKS;
const lessThan = "\uE002";
const HEADLINE_FROM = `<${start}${end}${lessThan}`;
const SNIPPET_OPTIONS = `StartSel=${start}, StopSel=${end}, MaxWords=28, MinWords=10, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
const TITLE_OPTIONS = `StartSel=${start}, StopSel=${end}, HighlightAll=true`;

function headline(text: RawBuilder<unknown>, options: string) {
  return sql<string>`ts_headline('english', translate(${text}, ${HEADLINE_FROM}::text, ${lessThan}::text), q.query, ${options}::text)`;
}

const restoreLessThan = (text: string) => text.replaceAll(lessThan, "<");

interface HitRow {
  rank: string;
  chat_id: string;
  message_id: string | null;
  /** Whether the hit is a title, or a message on its chat's visible branch. */
  visible: boolean;
  role: MessageRole | null;
  at: Date;
  /** Null for a hit that is not visible (no headline is made for it). */
  title: string | null;
  snippet: string | null;
}

/**
 * Batches of ranked candidates read to fill one page: each the page size plus one, doubled
 * each time. A page that runs out of batches before it is full (a user whose matches are
 * mostly on versions not shown) comes back short, with a cursor after the last candidate read.
 */
const MAX_BATCHES = 4;

/**
 * A page of hits, best first (ts_rank, normalised by length so a long message does not win by
 * size alone; a title weighs most), by keyset on (rank, id). Message hits off their chat's
 * visible branch are skipped; the cursor moves past them, so every visible hit is on exactly
 * one page. Only the page's rows get a headline: ts_headline re-parses the text.
 */
export async function searchChats(
  db: Db,
  userId: string,
  terms: SearchTerms,
  options: { limit: number; after?: SearchCursor },
): Promise<SearchPage> {
  const wanted = options.limit + 1;
  const visible: HitRow[] = [];
  let after = options.after;
  let size = wanted;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const rows = await rankedBatch(db, userId, terms, after, size);
    for (const row of rows) {
      if (row.visible) visible.push(row);
      if (visible.length === wanted) return toPage(visible, options.limit);
    }
    if (rows.length < size) return toPage(visible, options.limit);
    const last = rows[rows.length - 1];
    after = { rank: last.rank, id: last.message_id ?? last.chat_id };
    size *= 2;
  }
  // Out of batches: the page is short, and the next starts after the last candidate read.
  return { hits: visible.map(toHit), next: after };
}

function toPage(rows: HitRow[], limit: number): SearchPage {
  const { page, continueAfter: last } = splitPage(rows, limit);
  const hits = page.map(toHit);
  return last ? { hits, next: { rank: last.rank, id: last.message_id ?? last.chat_id } } : { hits };
}

function toHit(row: HitRow): SearchHit {
  return {
    chatId: row.chat_id,
    messageId: row.message_id,
    role: row.role,
    at: new Date(row.at),
    title: restoreLessThan(row.title ?? ""),
    snippet: row.snippet === null ? null : restoreLessThan(row.snippet),
    rank: row.rank,
  };
}

/**
 * The next `size` candidates after `after`, best first, each marked visible or not. Whether a
 * message is on its chat's visible branch is found by walking `parent_id` up from the active
 * leaf of each chat the batch has a message hit in (at most `size` chats, by primary key).
 */
async function rankedBatch(
  db: Db,
  userId: string,
  terms: SearchTerms,
  after: SearchCursor | undefined,
  size: number,
): Promise<HitRow[]> {
  const afterCursor = after
    ? sql`where (ranked.rank, ranked.sort_id) < (${after.rank}::float8, ${after.id}::uuid)`
    : sql``;
  const result = await sql<HitRow>`
    with recursive q as materialized (select ${matchQuery(terms)} as query),
    batch as materialized (
      select ranked.* from (
        select ts_rank(hit.search_vector, q.query, 1)::float8 as rank, hit.chat_id, hit.id as message_id,
          hit.id as sort_id
        from (${searchableMessages(db, userId)}) hit, q
        where hit.search_vector @@ q.query
        union all
        select ts_rank(chats.search_vector, q.query, 1)::float8, chats.id, null::uuid, chats.id
        from chats, q
        where chats.user_id = ${userId} and chats.search_vector @@ q.query
      ) ranked
      ${afterCursor}
      order by ranked.rank desc, ranked.sort_id desc
      limit ${size}
    ),
    shown as (
      select leaf.id, leaf.parent_id
      from (select distinct chat_id from batch where message_id is not null) hit_chats
      join chats on chats.id = hit_chats.chat_id
      join messages as leaf on leaf.id = coalesce(chats.active_leaf_id, (
        select newest.id from messages as newest where newest.chat_id = chats.id
        order by newest.created_at desc, newest.id desc limit 1))
      union all
      select parent.id, parent.parent_id
      from shown join messages as parent on parent.id = shown.parent_id
    ),
    marked as (
      select batch.*,
        batch.message_id is null or batch.message_id in (select id from shown) as visible
      from batch
    )
    select page.rank::text as rank, page.chat_id, page.message_id, page.visible, m.role,
      coalesce(m.created_at, c.updated_at) as at,
      case when page.visible then ${headline(sql`c.title`, TITLE_OPTIONS)} end as title,
      case when page.visible and m.id is not null then ${headline(sql`m.content`, SNIPPET_OPTIONS)} end
        as snippet
    from marked page
    join chats c on c.id = page.chat_id
    left join messages m on m.id = page.message_id
    cross join q
    order by page.rank desc, page.sort_id desc`.execute(db);
  return result.rows;
}
