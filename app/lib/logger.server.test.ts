import { describe, expect, it } from "vitest";
import { formatLogLine } from "./logger.server";

const at = new Date("2026-01-02T03:04:05.678Z");

describe("formatLogLine", () => {
  it("writes time, level, message and bare key=value pairs", () => {
    expect(formatLogLine(at, "info", "listening", { port: 3000, host: "127.0.0.1", ok: true })).toBe(
      "2026-01-02T03:04:05.678Z info listening port=3000 host=127.0.0.1 ok=true",
    );
  });

  it("quotes values with spaces, quotes or line breaks, so a stack trace stays on one line", () => {
    const stack = 'error: relation "messages" does not exist\n    at Client.query (pg/client.js:1:1)';
    const line = formatLogLine(at, "error", "request failed", {
      requestId: "abc123",
      error: stack,
      detail: "a b",
    });
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toBe(
      `2026-01-02T03:04:05.678Z error request failed requestId=abc123 error=${JSON.stringify(stack)} detail="a b"`,
    );
  });

  it("renders objects as JSON and an empty string visibly", () => {
    expect(formatLogLine(at, "warn", "odd", { data: { a: 1 }, empty: "" })).toBe(
      '2026-01-02T03:04:05.678Z warn odd data="{\\"a\\":1}" empty=""',
    );
  });
});
