/**
 * The security headers of every response. Documents get a Content-Security-Policy with a
 * per-request nonce (entry.server.tsx makes it and hands it to Remix's inline scripts); every
 * other response, the baseline and a policy that allows nothing, so a JSON or text answer
 * opened as a page can run nothing and be framed by no one.
 */

/**
 * Features Parley never uses, switched off for the page and anything it might embed. Only
 * names Chromium knows: an unknown one is a console error on every page. (The Copy button
 * needs clipboard-write, which stays at its default.)
 */
const PERMISSIONS_POLICY = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "usb",
  "browsing-topics",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/** For anything that is not one of Parley's pages: nothing may load, run or frame it. */
export const NOTHING_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** One year; no includeSubDomains or preload: those commit sibling hosts, the operator's call. */
const HSTS = "max-age=31536000";

export function baselineSecurityHeaders(production: boolean): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    // frame-ancestors says the same to browsers that know CSP; this is for the rest.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": NOTHING_POLICY,
    // Browsers ignore HSTS over plain HTTP, so it is harmless on http://localhost in production.
    ...(production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/**
 * The policy of a page. Scripts: Parley's own bundles and the inline ones Remix writes with this
 * request's nonce, nothing else (no 'unsafe-inline', no eval). Styles: the stylesheet only;
 * style *attributes* are allowed because Markdown tables align their cells with them
 * (`<td style="text-align:right">`), and an attribute can neither run script nor load a
 * stylesheet. Images: none are loaded from messages (they render as links), so only ours.
 */
export function documentPolicy(nonce: string | null): string {
  return [
    "default-src 'self'",
    // A public page (a shared chat) runs no script at all: the same bytes go to everyone.
    nonce === null ? "script-src 'none'" : `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
