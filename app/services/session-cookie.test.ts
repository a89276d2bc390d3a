import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createSessionCookie,
  newSessionId,
  readSessionCookie,
  SESSION_COOKIE_NAME,
  verifiedCookieMemoSize,
} from "./session-cookie.server";

const SECRET = "a-test-secret-of-at-least-32-characters";
/** Cookies a browser may hold for the same host: analytics, preferences, whatever. */
const otherCookies = (bytes: number) => `_ga=${randomBytes(bytes / 2).toString("hex")}; theme=dark`;

/** Each test gets a cookie (and so a memo) of its own. */
function freshCookie() {
  return createSessionCookie(SECRET, false);
}

async function signed(cookie = freshCookie(), value: { s: string; u?: string } = { s: newSessionId() }) {
  const setCookie = await cookie.serialize(value);
  return setCookie.slice(0, setCookie.indexOf(";"));
}

/** The same signature over a value naming another user: what a forger would try. */
function withAnotherUser(pair: string): string {
  const signedValue = decodeURIComponent(pair.slice(SESSION_COOKIE_NAME.length + 1));
  const dot = signedValue.lastIndexOf(".");
  const value = JSON.parse(atob(signedValue.slice(0, dot))) as { s: string; u?: string };
  const forged = btoa(JSON.stringify({ ...value, u: randomUUID() }));
  return `${SESSION_COOKIE_NAME}=${encodeURIComponent(forged + signedValue.slice(dot))}`;
}

describe("readSessionCookie", () => {
  it("reads the session among other cookies, and refuses a tampered, unsigned or missing one", async () => {
    const cookie = freshCookie();
    const value = { s: newSessionId(), u: randomUUID() };
    const pair = await signed(cookie, value);
    expect(await readSessionCookie(cookie, `a=1; ${pair}; b=2`)).toEqual(value);
    expect(await readSessionCookie(cookie, `a=1;\t${pair}  `)).toEqual(value);

    expect(await readSessionCookie(cookie, withAnotherUser(pair))).toBeNull();
    const unsigned = `${SESSION_COOKIE_NAME}=${Buffer.from(JSON.stringify(value)).toString("base64")}`;
    expect(await readSessionCookie(cookie, unsigned)).toBeNull();
    expect(await readSessionCookie(cookie, "a=1; b=2")).toBeNull();
    expect(await readSessionCookie(cookie, null)).toBeNull();
    // A valid value signed with another secret is someone else's.
    const foreign = await signed(createSessionCookie("another-secret-of-at-least-32-characters", false));
    expect(await readSessionCookie(cookie, foreign)).toBeNull();
  });

  it("agrees with Remix's own parsing of the whole header on awkward headers", async () => {
    const cookie = freshCookie();
    const pair = await signed(cookie);
    const other = await signed(cookie);
    const value = pair.slice(SESSION_COOKIE_NAME.length + 1);
    const headers = [
      pair,
      `${pair}; ${other}`, // the first of two wins
      `${other}; ${pair}`,
      `junk; no equals; ${pair}`,
      `x${pair}`, // another cookie whose name ends like ours
      `${SESSION_COOKIE_NAME}="${value}"`, // quoted
      `${SESSION_COOKIE_NAME}=; ${pair}`, // empty first
      `${SESSION_COOKIE_NAME}=%E0%A4%A; ${pair}`, // bad percent-encoding first
      ` \t${SESSION_COOKIE_NAME} \t= ${value} \t`,
      `${";".repeat(5_000)}${pair}`,
    ];
    for (const header of headers) {
      const remix = await cookie.parse(header).catch(() => null);
      const ours = await readSessionCookie(cookie, header);
      expect(ours, header.slice(0, 120)).toEqual(
        remix && typeof remix === "object" && "s" in remix ? remix : null,
      );
    }
  });

  it("remembers nothing of a flood of distinct invalid cookies", async () => {
    const cookie = freshCookie();
    const valid = await signed(cookie);
    for (let i = 0; i < 2_000; i++) {
      const garbage = `${SESSION_COOKIE_NAME}=${randomBytes(7_000).toString("hex")}`; // 14 KB
      const forged = withAnotherUser(valid);
      expect(await readSessionCookie(cookie, `${otherCookies(64)}; ${garbage}`)).toBeNull();
      expect(await readSessionCookie(cookie, forged)).toBeNull();
    }
    expect(verifiedCookieMemoSize(cookie)).toMatchObject({ entries: 0, bytes: 0 });
  });

  it("remembers a valid session by its value, not by the rest of the Cookie header", async () => {
    const cookie = freshCookie();
    const pair = await signed(cookie, { s: newSessionId(), u: randomUUID() });
    for (let i = 0; i < 200; i++) {
      expect(await readSessionCookie(cookie, `${otherCookies(14_000)}; ${pair}`)).not.toBeNull();
    }
    const size = verifiedCookieMemoSize(cookie);
    expect(size.entries).toBe(1);
    expect(size.bytes).toBeLessThan(1_000);
  });

  it("keeps distinct valid sessions under its byte bound, dropping the least recently used", async () => {
    const cookie = freshCookie();
    const { maxBytes } = verifiedCookieMemoSize(cookie);
    const first = await signed(cookie, { s: newSessionId(), u: randomUUID() });
    await readSessionCookie(cookie, first);
    const perEntry = verifiedCookieMemoSize(cookie).bytes;
    const sessions = Math.ceil((1.2 * maxBytes) / perEntry);
    for (let i = 0; i < sessions; i++) {
      const pair = await signed(cookie, { s: newSessionId(), u: randomUUID() });
      expect(await readSessionCookie(cookie, pair)).not.toBeNull();
    }
    const size = verifiedCookieMemoSize(cookie);
    expect(size.bytes).toBeLessThanOrEqual(maxBytes);
    expect(size.bytes).toBeGreaterThan(0.95 * maxBytes);
    expect(size.entries).toBeLessThan(sessions);
    // The first one, the least recently used, was pushed out: it is verified again, still valid.
    expect(await readSessionCookie(cookie, first)).not.toBeNull();
  });
});
