import { describe, expect, it } from "vitest";
import { trimHistory } from "./history-budget.server";
import type { ChatTurn } from "./provider.server";

const sys: ChatTurn = { role: "system", content: "S".repeat(50) };
const u = (content: string): ChatTurn => ({ role: "user", content });
const a = (content: string): ChatTurn => ({ role: "assistant", content });

describe("trimHistory", () => {
  const history = [sys, u("1111111111"), a("2222222222"), u("3333333333"), a("4444444444"), u("5555555555")];

  it("keeps everything when it fits", () => {
    expect(trimHistory(history, 50)).toEqual(history);
  });

  it("keeps the system message plus the newest turns that fit, dropping older ones whole", () => {
    expect(trimHistory(history, 35)).toEqual([sys, u("3333333333"), a("4444444444"), u("5555555555")]);
    expect(trimHistory(history, 30)).toEqual([sys, u("3333333333"), a("4444444444"), u("5555555555")]);
    expect(trimHistory(history, 29)).toEqual([sys, a("4444444444"), u("5555555555")]);
  });

  it("does not count the system message against the budget", () => {
    expect(trimHistory(history, 10)).toEqual([sys, u("5555555555")]);
  });

  it("keeps the last user turn, cut from the start, when it alone is over budget", () => {
    expect(trimHistory(history, 4)).toEqual([sys, u("5555")]);
    expect(trimHistory([u("abcdefghij")], 3)).toEqual([u("hij")]);
    expect(trimHistory([u("abc")], 0)).toEqual([u("")]);
  });

  it("never cuts an emoji in half", () => {
    expect(trimHistory([u("ab😀cd")], 3)).toEqual([u("cd")]);
    expect(trimHistory([u("ab😀cd")], 4)).toEqual([u("😀cd")]);
  });

  it("works without a system message and only treats the first one as the system message", () => {
    const turns = [u("aaaa"), sys, u("bbbb")];
    expect(trimHistory(turns, 8)).toEqual([u("bbbb")]);
    expect(trimHistory([u("aaaa"), a("bbbb"), u("cccc")], 8)).toEqual([a("bbbb"), u("cccc")]);
  });

  it("keeps turns after the last user turn when they fit, else only the user turn", () => {
    const turns = [u("aaaa"), u("bbbb"), a("cccc")];
    expect(trimHistory(turns, 8)).toEqual([u("bbbb"), a("cccc")]);
    expect(trimHistory(turns, 6)).toEqual([u("bbbb")]);
  });

  it("keeps the newest turns that fit when there is no user turn", () => {
    expect(trimHistory([sys, a("aaaa"), a("bbbb")], 5)).toEqual([sys, a("bbbb")]);
    expect(trimHistory([], 10)).toEqual([]);
  });

  it("does not modify its input", () => {
    const turns = [u("abcdef")];
    trimHistory(turns, 2);
    expect(turns).toEqual([u("abcdef")]);
  });
});
