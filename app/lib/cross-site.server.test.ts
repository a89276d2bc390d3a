import { describe, expect, it } from "vitest";
import { crossSiteRefusal, type SiteCheckInput } from "./cross-site.server";

const parley = new URL("https://chat.example.com");
const post = (headers: Partial<SiteCheckInput>): SiteCheckInput => ({
  method: "POST",
  origin: null,
  secFetchSite: null,
  ...headers,
});
const status = (input: SiteCheckInput, exact = true) =>
  crossSiteRefusal(input, parley, { exact })?.status ?? 200;

describe("crossSiteRefusal", () => {
  it("lets Parley's own forms through, and requests with neither header (curl, scripts)", () => {
    expect(status(post({ origin: "https://chat.example.com", secFetchSite: "same-origin" }))).toBe(200);
    expect(status(post({ origin: "https://CHAT.example.com:443" }))).toBe(200);
    expect(status(post({}))).toBe(200);
    expect(status(post({ secFetchSite: "same-origin" }))).toBe(200);
    expect(status(post({ secFetchSite: "none" }))).toBe(200);
  });

  it("refuses another origin, an opaque one, and a cross-site fetch without Origin", () => {
    expect(status(post({ origin: "https://evil.example" }))).toBe(403);
    expect(status(post({ origin: "https://evil.chat.example.com" }))).toBe(403);
    expect(status(post({ origin: "null" }))).toBe(403);
    expect(status(post({ secFetchSite: "cross-site" }))).toBe(403);
    expect(status(post({ secFetchSite: "same-site" }))).toBe(403);
  });

  it("answers an Origin that does not parse with 400", () => {
    expect(crossSiteRefusal(post({ origin: "not a url" }), parley, { exact: true })).toEqual({
      status: 400,
      reason: "The Origin header of this request is not a valid origin.",
    });
  });

  it("compares the scheme only when the public origin is known (ORIGIN set)", () => {
    const plainHttp = post({ origin: "http://chat.example.com" });
    expect(status(plainHttp, true)).toBe(403);
    expect(status(plainHttp, false)).toBe(200);
    expect(status(post({ origin: "https://chat.example.com:8443" }), false)).toBe(403);
  });

  it("matches a Host that names the https port of the browser's origin (nginx's $host:$server_port)", () => {
    const behindProxy = (host: string, origin: string) =>
      crossSiteRefusal(post({ origin }), new URL(`http://${host}`), { exact: false })?.status ?? 200;
    expect(behindProxy("chat.example.com:443", "https://chat.example.com")).toBe(200);
    expect(behindProxy("chat.example.com", "https://chat.example.com")).toBe(200);
    expect(behindProxy("127.0.0.1:8080", "http://127.0.0.1:8080")).toBe(200);
    expect(behindProxy("chat.example.com:443", "http://chat.example.com")).toBe(403);
    expect(behindProxy("127.0.0.1:8080", "http://127.0.0.1:8081")).toBe(403);
    expect(behindProxy("chat.example.com", "https://chat.example.com:8443")).toBe(403);
    expect(behindProxy("chat.example.com:443", "https://evil.example")).toBe(403);
  });

  it("never checks a method that changes nothing", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(status({ method, origin: "https://evil.example", secFetchSite: "cross-site" })).toBe(200);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(status({ method, origin: "https://evil.example", secFetchSite: null })).toBe(403);
    }
  });
});
