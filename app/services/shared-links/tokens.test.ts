import { sharedLinkTokenSchema } from "#app/lib/shared-link-token";
import { newSharedLinkToken, sharedLinkTokenHash } from "./tokens.server";

describe("shared link tokens", () => {
  it("hold at least 128 random bits, in base64url, and are never the same twice", () => {
    const tokens = Array.from({ length: 2000 }, newSharedLinkToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
      expect(sharedLinkTokenSchema.safeParse(token).success).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every bit position takes both values across the sample: no constant (non-random) part.
    const bits = tokens.map((token) => BigInt(`0x${Buffer.from(token, "base64url").toString("hex")}`));
    const width = Buffer.from(tokens[0], "base64url").length * 8;
    for (let bit = 0n; bit < BigInt(width); bit += 1n) {
      const ones = bits.filter((value) => (value >> bit) & 1n).length;
      expect(ones).toBeGreaterThan(0);
      expect(ones).toBeLessThan(tokens.length);
    }
  });

  it("refuses anything else in a link before any look-up", () => {
    const token = newSharedLinkToken();
    for (const bad of [
      "",
      token.slice(1),
      `${token}A`,
      `${token.slice(1)}/`,
      `${token.slice(1)}\u0000`,
      "é".repeat(32),
    ])
      expect(sharedLinkTokenSchema.safeParse(bad).success).toBe(false);
  });

  it("are known to the database only by their SHA-256", () => {
    const token = newSharedLinkToken();
    expect(sharedLinkTokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sharedLinkTokenHash(token)).not.toContain(token);
    expect(sharedLinkTokenHash(token)).toBe(sharedLinkTokenHash(token));
  });
});
