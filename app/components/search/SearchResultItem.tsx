import { Link } from "@remix-run/react";
import type { SnippetPart } from "#app/lib/snippet";
import type { SearchResultView } from "#app/services/search.server";

const KIND_LABEL: Record<SearchResultView["kind"], string> = {
  title: "Chat title",
  user: "You",
  assistant: "Parley",
};

/** One search result: the chat's title, who wrote the match and when, and the passage around it. */
export function SearchResultItem({ result }: { result: SearchResultView }) {
  return (
    <li className="search-result">
      <Link to={result.href} className="search-result__link">
        <span className="search-result__title">
          <Marked parts={result.title} />
        </span>
        <span className="search-result__meta">
          {KIND_LABEL[result.kind]} ·{" "}
          <time dateTime={result.at}>
            {new Date(result.at).toLocaleDateString("en-GB", {
              day: "numeric",
              month: "short",
              year: "numeric",
            })}
          </time>
        </span>
        {result.snippet ? (
          <span className="search-result__snippet">
            <Marked parts={result.snippet} />
          </span>
        ) : null}
      </Link>
    </li>
  );
}

/** Text with its matched words in <mark>: React renders every part as text, never as markup. */
function Marked({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((part, index) => (part.marked ? <mark key={index}>{part.text}</mark> : part.text))}</>;
}
