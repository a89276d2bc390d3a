/**
 * The URL Remix sees for a request, built from parts Parley has checked, or the reason it
 * cannot be built. Without this, `new URL()` threw on a Host of `a b` or a target of `//[` (a
 * 500), and a target of `//evil.example/x` became a request *for* evil.example.
 */
export type RequestUrl = { url: URL } | { refusal: { status: 400; reason: string } };

/**
 * A Host header as RFC 3986 allows it here: a name (letters, digits, `-`, `.`, `_`) or a
 * bracketed IPv6 address, then an optional port. No user info, path, space or percent sign.
 */
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*)|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `publicOrigin` is ORIGIN when set; otherwise the request's own Host names the origin (over
 * plain HTTP, which is what this server speaks). A request with no Host at all (HTTP/1.0; node
 * refuses an HTTP/1.1 one itself) is taken as addressed to localhost.
 */
export function requestUrl(target: string, host: string | undefined, publicOrigin?: string): RequestUrl {
  if (host !== undefined && !(HOST.test(host) && URL.canParse(`http://${host}/`))) {
    return refusal(`The Host header of this request is not a valid host name.`);
  }
  // Origin-form only: a path from the root. `//x` would read as another host, and Parley is
  // no proxy, so absolute targets (`http://x/`) and `*` are refused too.
  if (!target.startsWith("/") || target.startsWith("//")) {
    return refusal("The target of this request is not a path on this site.");
  }
  const base = publicOrigin ?? `http://${host ?? "localhost"}`;
  if (!URL.canParse(base + target)) return refusal("The target of this request is not a valid path.");
  const url = new URL(base + target);
  // Remix decodes the path to match routes, and logs a warning (three lines) for each request
  // whose percent-encoding is broken: refuse it here, once, in words.
  if (!decodable(url.pathname)) return refusal("The path of this request has a broken %-encoding.");
  return { url };
}

function decodable(pathname: string): boolean {
  if (!pathname.includes("%")) return true;
  try {
    decodeURI(pathname);
    return true;
  } catch {
    return false;
  }
}

function refusal(reason: string): RequestUrl {
  return { refusal: { status: 400, reason } };
}
