import { afterEach, describe, expect, it } from "vitest";
import { signInThrottle, type SignInAttempt, type SignInThrottle } from "./sign-in-throttle.server";
import {
  limitsConfig,
  openLimitTestStore,
  sleep,
  testAddress,
  type LimitStoreKind,
  type LimitTestStore,
} from "./testing/limit-stores";

const BASE_MS = 150;

describe.each<LimitStoreKind>(["redis", "memory"])("sign-in throttle on %s", (kind) => {
  let opened: LimitTestStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function throttleWith(settings: Record<string, string>): Promise<SignInThrottle> {
    opened = await openLimitTestStore(kind);
    return signInThrottle({ config: limitsConfig(settings), store: opened.store }, { delayBaseMs: BASE_MS });
  }

  /** A wrong password, as the sign-in action reports it. Fails the test when it is refused. */
  async function wrongPassword(throttle: SignInThrottle, attempt: SignInAttempt): Promise<void> {
    expect(await throttle.check(attempt)).toEqual({ allowed: true });
    await throttle.recordFailure(attempt);
  }

  it("delays repeated wrong passwords from one address, more each time, while the right one from another address works", async () => {
    const throttle = await throttleWith({ SIGNIN_FAILURES_BEFORE_DELAY: "3", SIGNIN_MAX_DELAY_SECONDS: "5" });
    const attacker = { email: "owner@example.com", ip: testAddress() };
    for (let i = 0; i < 3; i += 1) await wrongPassword(throttle, attacker);

    expect(await throttle.check(attacker)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
      message: "Too many sign-in attempts. Try again in 1 second.",
    });
    await sleep(BASE_MS + 20);
    await wrongPassword(throttle, attacker);
    // The next wait is twice as long: one base delay later it is still refused.
    await sleep(BASE_MS + 20);
    expect((await throttle.check(attacker)).allowed).toBe(false);
    await sleep(BASE_MS + 20);
    await wrongPassword(throttle, attacker);
    expect((await throttle.check(attacker)).allowed).toBe(false);

    const owner = { email: "owner@example.com", ip: testAddress() };
    expect(await throttle.check(owner)).toEqual({ allowed: true });
    await throttle.recordSuccess(owner);
    expect((await throttle.check(attacker)).allowed).toBe(false);
  });

  it("refuses an address that fails too often, whatever the email, until the hour is over", async () => {
    const throttle = await throttleWith({ SIGNIN_FAILURES_PER_IP_PER_HOUR: "4" });
    const ip = testAddress();
    for (let i = 0; i < 4; i += 1) await wrongPassword(throttle, { email: `person${i}@example.com`, ip });

    const refused = await throttle.check({ email: "someone-new@example.com", ip });
    expect(refused).toMatchObject({
      allowed: false,
      message: "Too many sign-in attempts. Try again in 1 hour.",
    });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThan(3590);
    expect(await throttle.check({ email: "someone-new@example.com", ip: testAddress() })).toEqual({
      allowed: true,
    });
  });

  it("forgives an address's failures for an email on success, but not its hourly count", async () => {
    const throttle = await throttleWith({
      SIGNIN_FAILURES_BEFORE_DELAY: "2",
      SIGNIN_FAILURES_PER_IP_PER_HOUR: "4",
    });
    const ip = testAddress();
    const mine = { email: "me@example.com", ip };
    await wrongPassword(throttle, mine);
    await wrongPassword(throttle, mine);
    expect((await throttle.check(mine)).allowed).toBe(false);
    await sleep(BASE_MS + 20);
    expect(await throttle.check(mine)).toEqual({ allowed: true });
    await throttle.recordSuccess(mine);
    // Forgiven: no delay any more for this email from here.
    await wrongPassword(throttle, mine);
    expect(await throttle.check(mine)).toEqual({ allowed: true });
    await throttle.recordSuccess(mine);
    // Three failures so far from this address; a success of one's own account does not reset that.
    await wrongPassword(throttle, { email: "other@example.com", ip });
    expect((await throttle.check({ email: "third@example.com", ip })).allowed).toBe(false);
  });

  it("once an email fails too often from everywhere, refuses the addresses that failed and lets fresh ones try", async () => {
    const throttle = await throttleWith({ SIGNIN_FAILURES_PER_EMAIL_PER_HOUR: "3" });
    const email = "target@example.com";
    const guessers = [testAddress(), testAddress(), testAddress()];
    for (const ip of guessers) await wrongPassword(throttle, { email, ip });

    const again = await throttle.check({ email, ip: guessers[0] });
    expect(again.allowed === false && again.retryAfterSeconds).toBeGreaterThan(3590);
    // The same address may still sign in to other accounts; the owner on a fresh address gets in.
    expect(await throttle.check({ email: "unrelated@example.com", ip: guessers[0] })).toEqual({
      allowed: true,
    });
    const owner = { email, ip: testAddress() };
    expect(await throttle.check(owner)).toEqual({ allowed: true });
    await throttle.recordSuccess(owner);
  });

  it("compares emails trimmed and case-insensitively, and treats unknown addresses as one", async () => {
    const throttle = await throttleWith({ SIGNIN_FAILURES_BEFORE_DELAY: "2" });
    await wrongPassword(throttle, { email: " Alice@Example.COM ", ip: null });
    await wrongPassword(throttle, { email: "alice@example.com", ip: null });
    expect((await throttle.check({ email: "ALICE@example.com", ip: null })).allowed).toBe(false);
    expect(await throttle.check({ email: "ALICE@example.com", ip: testAddress() })).toEqual({
      allowed: true,
    });
  });

  it("counts nothing when every sign-in limit is off", async () => {
    const throttle = await throttleWith({
      SIGNIN_FAILURES_BEFORE_DELAY: "off",
      SIGNIN_FAILURES_PER_IP_PER_HOUR: "off",
      SIGNIN_FAILURES_PER_EMAIL_PER_HOUR: "off",
    });
    const attempt = { email: "free@example.com", ip: testAddress() };
    for (let i = 0; i < 40; i += 1) await wrongPassword(throttle, attempt);
    expect(await opened?.rawKeys()).toEqual([]);
  });
});

describe("sign-in throttle on Redis", () => {
  let opened: LimitTestStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it("keeps emails only as keyed hashes, and every key under the prefix with a TTL", async () => {
    opened = await openLimitTestStore("redis");
    const throttle = signInThrottle({ config: limitsConfig(), store: opened.store });
    const attempt = { email: "private.person@example.com", ip: "192.0.2.44" };
    expect(await throttle.check(attempt)).toEqual({ allowed: true });
    await throttle.recordFailure(attempt);
    const keys = await opened.rawKeys();
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      expect(key).toMatch(/^parley:v1:limit:sign-in:/);
      expect(key).not.toMatch(/private|example/i);
    }
    expect(await opened.ttls()).toEqual(keys.map(() => expect.any(Number)));
  });

  it("goes on throttling in this process while Redis is down, and uses Redis again when it is back", async () => {
    opened = await openLimitTestStore("redis");
    const throttle = signInThrottle(
      { config: limitsConfig({ SIGNIN_FAILURES_BEFORE_DELAY: "2" }), store: opened.store },
      { delayBaseMs: 60_000 },
    );
    const attempt = { email: "outage@example.com", ip: testAddress() };
    await opened.redis?.kill();

    for (let i = 0; i < 2; i += 1) {
      expect(await throttle.check(attempt)).toEqual({ allowed: true });
      await throttle.recordFailure(attempt);
    }
    expect(await throttle.check(attempt)).toMatchObject({ allowed: false, retryAfterSeconds: 60 });

    await opened.redis?.restart();
    await sleep(50);
    // An empty Redis after the restart: its counts, not this process's, apply again.
    await expect.poll(async () => (await throttle.check(attempt)).allowed, { timeout: 5000 }).toBe(true);
    expect((await opened.rawKeys()).length).toBeGreaterThan(0);
  });
});
