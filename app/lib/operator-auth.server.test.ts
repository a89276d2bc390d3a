import { describe, expect, it } from "vitest";
import { hasOperatorToken } from "./operator-auth.server";

const token = "operator-token-that-is-long-enough-0123456789";
const withAuthorization = (value?: string) =>
  new Request("http://parley.test/healthz/details", { headers: value ? { Authorization: value } : {} });

describe("hasOperatorToken", () => {
  it("accepts exactly the configured bearer token", () => {
    expect(hasOperatorToken(withAuthorization(`Bearer ${token}`), token)).toBe(true);
  });

  it("refuses no header, another token, a prefix of it, and another scheme", () => {
    for (const value of [
      undefined,
      "Bearer wrong",
      `Bearer ${token.slice(0, -1)}`,
      `Basic ${token}`,
      token,
    ]) {
      expect(hasOperatorToken(withAuthorization(value), token), value).toBe(false);
    }
  });
});
