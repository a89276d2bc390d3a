import type { IncomingMessage } from "node:http";
import { crossSiteRefusal } from "#app/lib/cross-site.server";
import { requestUrl } from "./request-url";

/**
 * What every request passes before static files and Remix: a method Parley answers, a Host
 * and target that make a URL, and, for anything but GET/HEAD/OPTIONS, an origin that is
 * Parley's own. Plain string work and one URL parse: it runs for every page and asset.
 */
export type Admission =
  { url: URL } | { refusal: { status: 400 | 403 | 405; reason: string; headers?: Record<string, string> } };

/**
 * Methods Remix's routes answer (the others with a 405 page of their own). TRACE, TRACK and
 * CONNECT cannot even become a Fetch Request (undici throws: a 500), and WebDAV and the like
 * mean nothing here.
 */
const REMIX_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** `publicOrigin` is the ORIGIN setting: when set, the one origin forms may come from. */
export function admitRequest(req: IncomingMessage, publicOrigin?: string): Admission {
  const method = req.method ?? "GET";
  if (!REMIX_METHODS.has(method)) {
    return {
      refusal: {
        status: 405,
        reason: `Parley does not answer ${method} requests.`,
        headers: { Allow: "GET, HEAD, POST" },
      },
    };
  }
  const built = requestUrl(req.url ?? "/", req.headers.host, publicOrigin);
  if ("refusal" in built) return built;
  const site = crossSiteRefusal(
    { method, origin: header(req, "origin"), secFetchSite: header(req, "sec-fetch-site") },
    built.url,
    { exact: publicOrigin !== undefined },
  );
  return site ? { refusal: site } : built;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}
