/**
 * Whether a submission comes from Parley's own pages. Browsers send `Origin` with every POST;
 * when it is absent (older browsers, some privacy settings), `Sec-Fetch-Site` still tells a
 * cross-site request apart. Neither is a browser's whole defence (the session cookie is
 * SameSite=Lax too), but together they refuse a forged form before any action runs.
 *
 * Parley's server asks this before Remix (server/front-door.ts); readForm asks it again, which
 * matters only under another server (remix-serve), whose Remix runtime checks Origin itself.
 */
export interface SiteRefusal {
  status: 400 | 403;
  reason: string;
}

export const CROSS_SITE_REASON =
  "This form was sent from another site, so Parley did not act on it. Forms are only accepted " +
  "from Parley's own pages: go back to Parley and try again. (Running Parley behind a reverse " +
  "proxy, and every form ends here? Set ORIGIN to the address people open Parley at.)";

/** Methods that change nothing: never checked. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface SiteCheckInput {
  method: string;
  origin: string | null;
  secFetchSite: string | null;
}

/**
 * `publicOrigin` is where Parley is served. With `exact`, the submission's origin must equal it
 * (scheme, host and port: ORIGIN is set); without, only the host and port must match (the
 * scheme a TLS-terminating proxy speaks to Parley is not the browser's).
 */
export function crossSiteRefusal(
  input: SiteCheckInput,
  publicOrigin: URL,
  { exact }: { exact: boolean },
): SiteRefusal | null {
  if (SAFE_METHODS.has(input.method)) return null;
  const { origin, secFetchSite } = input;
  if (origin !== null) {
    // "null": a sandboxed frame, a data: URL or a redirect across sites; nothing to trust.
    if (origin === "null") return { status: 403, reason: CROSS_SITE_REASON };
    if (!URL.canParse(origin)) {
      return { status: 400, reason: "The Origin header of this request is not a valid origin." };
    }
    const from = new URL(origin);
    const same = exact ? from.origin === publicOrigin.origin : sameHostAndPort(from, publicOrigin);
    return same ? null : { status: 403, reason: CROSS_SITE_REASON };
  }
  // A sibling subdomain is "same-site" yet another origin: neither posts Parley's forms.
  if (secFetchSite === "cross-site" || secFetchSite === "same-site") {
    return { status: 403, reason: CROSS_SITE_REASON };
  }
  return null;
}

/**
 * The Host header names no scheme, so a port it leaves out (or that is its scheme's default,
 * which the URL parser drops) is the default port of the browser's origin: `Host:
 * chat.example.com` and `Host: chat.example.com:443` (nginx's `$host:$server_port`) both match
 * `https://chat.example.com`, and neither matches `https://chat.example.com:8443`.
 */
function sameHostAndPort(from: URL, publicOrigin: URL): boolean {
  const defaultPort = from.protocol === "https:" ? "443" : "80";
  return (
    from.hostname === publicOrigin.hostname &&
    (from.port || defaultPort) === (publicOrigin.port || defaultPort)
  );
}
