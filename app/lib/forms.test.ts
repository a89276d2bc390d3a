import { describe, expect, it } from "vitest";
import { fieldErrors, localPathSchema, messageContentSchema, renameChatSchema, storableText } from "./forms";

const NUL = "\u0000";

describe("text Postgres cannot store", () => {
  it("is refused in a message, with a field error that names the character", () => {
    const parsed = messageContentSchema(100).safeParse(`hello${NUL}world`);
    expect(parsed.success).toBe(false);
    expect(parsed.error && fieldErrors(parsed.error)).toEqual({
      form: "Remove the NUL character (U+0000): it cannot be stored.",
    });
  });

  it("is refused in a chat's new name, before trimming could hide it", () => {
    const parsed = renameChatSchema.safeParse({ intent: "rename", title: `${NUL}  ` });
    expect(parsed.success).toBe(false);
    expect(parsed.error && fieldErrors(parsed.error).title).toMatch(/U\+0000/);
  });

  it("refuses lone surrogates, and keeps emoji and other well-formed text", () => {
    const field = storableText().trim().min(1);
    for (const broken of ["\uD800", "a\uDC00b", "\uDBFF\uDBFF\uDC00x"]) {
      expect(field.safeParse(broken).error?.issues[0].message, JSON.stringify(broken)).toMatch(/surrogate/);
    }
    for (const fine of ["🧪", "日本語", "tab\tand\nnewline", "\uD83D\uDE00"]) {
      expect(field.safeParse(fine).success, fine).toBe(true);
    }
  });
});

describe("localPathSchema", () => {
  it("takes paths on this site, non-ASCII included (done() encodes it)", () => {
    for (const path of ["/chats", "/chats?project=abc&cursor=x_y-z", "/chats/日本", "/chats?q=€"]) {
      expect(localPathSchema.safeParse(path).success, path).toBe(true);
    }
  });

  it("refuses other origins, whitespace and control characters", () => {
    for (const path of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "chats",
      "/a b",
      `/a${NUL}`,
      "/a\u0085",
      "/a\r\nSet-Cookie: x=1",
    ]) {
      expect(localPathSchema.safeParse(path).success, JSON.stringify(path)).toBe(false);
    }
  });
});
