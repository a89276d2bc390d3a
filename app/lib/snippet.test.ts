import { snippetParts } from "./snippet";

const marks = { start: "[", end: "]" };

describe("snippetParts", () => {
  it("splits a marked snippet into text and marked parts", () => {
    expect(snippetParts("a [b] c [d]", marks)).toEqual([
      { text: "a ", marked: false },
      { text: "b", marked: true },
      { text: " c ", marked: false },
      { text: "d", marked: true },
    ]);
  });

  it("keeps markup as text and tolerates unbalanced marks", () => {
    expect(snippetParts("<img src=x onerror=alert(1)>]x[y", marks)).toEqual([
      { text: "<img src=x onerror=alert(1)>", marked: false },
      { text: "x", marked: false },
      { text: "y", marked: true },
    ]);
    expect(snippetParts("", marks)).toEqual([]);
  });
});
