import { deriveTitle } from "./title";

describe("deriveTitle", () => {
  it("keeps a short message whole, on one line", () => {
    expect(deriveTitle("  How do I\n\nboil an egg?  ")).toBe("How do I boil an egg?");
  });

  it("cuts a long message on a word boundary within 60 characters", () => {
    const title = deriveTitle(
      "Explain the difference between optimistic and pessimistic concurrency control in databases",
    );
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title).toBe("Explain the difference between optimistic and pessimistic…");
  });

  it("cuts a single very long word rather than returning nothing", () => {
    const title = deriveTitle("x".repeat(200));
    expect(title).toHaveLength(60);
    expect(title.endsWith("…")).toBe(true);
  });

  it("drops Markdown punctuation and code blocks", () => {
    expect(deriveTitle("# Fix this\n```js\nconsole.log(1)\n```\n**please**")).toBe("Fix this please");
    expect(deriveTitle("```\nonly code\n```")).toBe("New chat");
  });
});
