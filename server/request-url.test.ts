import { describe, expect, it } from "vitest";
import { requestUrl } from "./request-url";

const href = (target: string, host?: string, origin?: string) => {
  const result = requestUrl(target, host, origin);
  return "url" in result ? result.url.href : `${result.refusal.status}: ${result.refusal.reason}`;
};

describe("requestUrl", () => {
  it("builds the URL from the Host, or from ORIGIN when it is set", () => {
    expect(href("/chats?project=1", "127.0.0.1:3000")).toBe("http://127.0.0.1:3000/chats?project=1");
    expect(href("/chats", "[::1]:3000")).toBe("http://[::1]:3000/chats");
    expect(href("/chats", "parley_app")).toBe("http://parley_app/chats");
    expect(href("/chats", "127.0.0.1:3000", "https://chat.example.com")).toBe(
      "https://chat.example.com/chats",
    );
    expect(href("/", undefined)).toBe("http://localhost/");
  });

  it("keeps a target's odd path a path on this host", () => {
    expect(href("/a//b", "x")).toBe("http://x/a//b");
    expect(href("/\\evil.example/x", "x")).toBe("http://x//evil.example/x");
  });

  it("refuses a Host that is no host name", () => {
    for (const host of ["a b", "[::1", "user@x", "x/y", "x:99999", "x:", "%41", "", "[zz]", "x\\y"]) {
      expect(href("/", host), JSON.stringify(host)).toMatch(/^400: The Host header/);
    }
  });

  it("refuses a target that is not a path from the root", () => {
    for (const target of [
      "//[",
      "//a:99999/",
      "//evil.example/chats",
      "http://evil.example/chats",
      "*",
      "chats",
    ]) {
      expect(href(target, "x"), target).toMatch(/^400: The target of this request/);
    }
  });

  it("refuses a path whose percent-encoding is broken, and keeps a well-encoded one", () => {
    for (const target of ["/chats/%E0%A4%A", "/%E0%A4", "/a%zz", "/%"]) {
      expect(href(target, "x"), target).toMatch(/^400: The path of this request has a broken %-encoding/);
    }
    expect(href("/chats/%E0%A4%A8?q=%", "x")).toBe("http://x/chats/%E0%A4%A8?q=%");
  });

  it("checks the Host even when ORIGIN decides the URL", () => {
    expect(href("/", "a b", "https://chat.example.com")).toMatch(/^400: The Host header/);
  });
});
