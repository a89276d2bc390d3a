import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { RouteErrorPanel } from "#app/components/RouteErrorPanel";
import { SearchResultItem } from "#app/components/search/SearchResultItem";
import { fieldErrors } from "#app/lib/forms";
import { searchParamsSchema } from "#app/lib/search-params.server";
import { SEARCH_FIELD_ID } from "#app/lib/shortcuts";
import { unlessUnreachable } from "#app/lib/unreachable";
import { readyRuntime } from "#app/services/runtime.server";
import { searchChats, type SearchResults } from "#app/services/search.server";
import { getUserId } from "#app/services/visitor.server";

export const meta: MetaFunction = ({ data }) => {
  const query = (data as SearchPageData | undefined)?.query;
  return [{ title: query ? `“${query}” · Search · Parley` : "Search · Parley" }];
};

interface SearchPageData extends SearchResults {
  query: string;
  /** True on a page after the first (reached through "Next results"). */
  isLaterPage: boolean;
  error: string | null;
}

/**
 * GET /search?q=…: the visitor's own chats matching q, best first, paged by keyset. Reads only:
 * a visitor without a user (no session yet) sees no results, and nothing is created.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const runtime = await readyRuntime();
  const params = new URL(request.url).searchParams;
  const parsed = searchParamsSchema.safeParse({
    q: params.get("q") ?? undefined,
    after: params.get("after") ?? undefined,
  });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const shown = (params.get("q") ?? "").slice(0, 500);
    return data<SearchPageData>(
      {
        query: errors.q ? shown : shown.trim(),
        results: [],
        nextCursor: null,
        isLaterPage: false,
        error: errors.q ?? errors.after ?? "That search cannot be run.",
      },
      { status: 400 },
    );
  }
  const userId = await getUserId(runtime, request);
  const { q, after } = parsed.data;
  const found = await searchChats(runtime, userId, q, after);
  return data<SearchPageData>({ ...found, query: q, isLaterPage: Boolean(after), error: null });
}

export const shouldRevalidate = unlessUnreachable;

export default function SearchPage() {
  const page = useLoaderData<SearchPageData>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";
  const field = useRef<HTMLInputElement>(null);
  // Arriving to search (Ctrl/Cmd+K, the sidebar link) means typing next.
  useEffect(() => {
    if (!page.query) field.current?.focus();
  }, [page.query]);
  const firstPage = `/search?q=${encodeURIComponent(page.query)}`;
  return (
    <main className="page search" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <Form
        method="get"
        action="/search"
        role="search"
        className="search__form"
        aria-label="Search your chats"
      >
        <label htmlFor={SEARCH_FIELD_ID} className="visually-hidden">
          Search your chats
        </label>
        <input
          id={SEARCH_FIELD_ID}
          key={page.query}
          type="search"
          name="q"
          className="text-input search__input"
          defaultValue={page.query}
          placeholder="Words from a title or a message"
          autoComplete="off"
          enterKeyHint="search"
          aria-invalid={page.error ? true : undefined}
          aria-describedby={page.error ? "search-error" : undefined}
          ref={field}
        />
        <button type="submit" className="button button--primary">
          Search
        </button>
      </Form>
      {page.error ? (
        <p id="search-error" className="field-error" role="alert">
          {page.error}
        </p>
      ) : null}
      <div aria-live="polite" aria-busy={searching || undefined}>
        {page.query && !page.error ? (
          <p className="search__summary">
            {page.results.length === 0
              ? page.isLaterPage
                ? "No more results."
                : `Nothing in your chats matches “${page.query}”.`
              : page.isLaterPage
                ? `More results for “${page.query}”`
                : `Results for “${page.query}”, best match first`}
          </p>
        ) : null}
        {!page.query && !page.error ? (
          <p className="page__lead">
            Finds words in your chats’ titles and messages, in any language; the start of a word is enough.
            Use “quotes” for a phrase, <kbd>-word</kbd> to leave a word out and <kbd>or</kbd> for either.
          </p>
        ) : null}
        {page.results.length > 0 ? (
          <ol className="search-results">
            {page.results.map((result) => (
              <SearchResultItem key={result.id} result={result} />
            ))}
          </ol>
        ) : null}
      </div>
      <nav className="search__pages" aria-label="Result pages">
        {page.isLaterPage ? (
          <Link to={firstPage} className="button button--ghost">
            ← Best results
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            to={`${firstPage}&after=${encodeURIComponent(page.nextCursor)}`}
            className="button"
            rel="next"
          >
            Next results →
          </Link>
        ) : null}
      </nav>
    </main>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPanel unexpectedMessage="Parley could not search just now. Try again in a moment." />;
}
