import { hash, parseOptions } from "@node-rs/argon2";
import { ARGON2_PARAMS, DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./password.server";

describe("passwords", () => {
  it("hashes with argon2id at the stated parameters, salted, and verifies only the right password", async () => {
    const first = await hashPassword("correct horse battery staple");
    const second = await hashPassword("correct horse battery staple");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword(first, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(first, "correct horse battery stapl")).toBe(false);
    expect(needsRehash(first)).toBe(false);
  });

  it("keeps the dummy hash (checked for unknown emails) at today's parameters, so both refusals cost the same", () => {
    const dummy = parseOptions(DUMMY_HASH);
    expect({
      algorithm: dummy.algorithm,
      memoryCost: dummy.memoryCost,
      timeCost: dummy.timeCost,
      parallelism: dummy.parallelism,
    }).toEqual(ARGON2_PARAMS);
  });

  it("matches nothing without a stored hash or with a malformed one", async () => {
    expect(await verifyPassword(undefined, "anything at all")).toBe(false);
    expect(await verifyPassword("not a hash", "not a hash")).toBe(false);
  });

  it("asks for a rehash of a hash made with other parameters", async () => {
    const weaker = await hash("a password", { ...ARGON2_PARAMS, memoryCost: 4096, timeCost: 1 });
    expect(needsRehash(weaker)).toBe(true);
    expect(await verifyPassword(weaker, "a password")).toBe(true);
  });
});
