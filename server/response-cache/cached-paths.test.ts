import { describe, expect, it } from "vitest";
import { cachedPageChat } from "./cached-paths";
import { fillHeader, headerTemplate } from "./header-template";

const CHAT = "0192f0c1-7a2b-7c3d-8e4f-a1b2c3d4e5f6";

describe("cachedPageChat", () => {
  it("takes the chat list and a chat, as documents and data requests", () => {
    expect(cachedPageChat("/chats")).toBeUndefined();
    expect(cachedPageChat("/chats.data")).toBeUndefined();
    expect(cachedPageChat(`/chats/${CHAT}`)).toBe(CHAT);
    expect(cachedPageChat(`/chats/${CHAT}.data`)).toBe(CHAT);
  });

  it("refuses every other path, and an id in another spelling", () => {
    for (const path of [
      "/",
      "/chats/",
      "/account",
      "/search",
      `/chats/${CHAT}/delete`,
      `/chats/${CHAT}/export.md`,
      `/chats/${CHAT.toUpperCase()}`,
      "/chats/not-an-id",
      `/chats/${CHAT}.json`,
      `/chats/${CHAT}..data`,
      "/chatsx",
    ]) {
      expect(cachedPageChat(path), path).toBe(false);
    }
  });
});

describe("header templates", () => {
  it("put each serve's values where the render's stood", () => {
    const template = headerTemplate(
      "content-security-policy",
      "script-src 'nonce-AAA' x 'nonce-AAA'; b BBB",
      ["AAA", "BBB"],
    );
    expect(fillHeader(template, ["n1", "b1"])).toBe("script-src 'nonce-n1' x 'nonce-n1'; b b1");
    expect(fillHeader(headerTemplate("x", "plain", ["AAA"]), ["n"])).toBe("plain");
  });
});
