import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "#db/ids";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase, type TestDatabase } from "#db/testing/test-database";
import { admitWrite, type Writer } from "./quotas.server";
import { limitsConfig, openLimitTestStore, testAddress, type LimitTestStore } from "./testing/limit-stores";

/** The two set-ups Parley runs on: Postgres with Redis, and the embedded default. */
describe.each([
  { database: "postgres", store: "redis" },
  { database: "pglite", store: "memory" },
] as const)("quotas on $database with $store", (setup) => {
  let database: TestDatabase;
  let opened: LimitTestStore | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(setup.database);
  });
  afterAll(async () => {
    await database?.drop();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function admitterWith(settings: Record<string, string>) {
    opened = await openLimitTestStore(setup.store);
    const runtime = { config: limitsConfig(settings), store: opened.store, database };
    return (
      writer: Writer,
      cost: { message?: boolean; chat?: boolean },
      address: string | null = testAddress(),
    ) => admitWrite(runtime, writer, cost, address);
  }

  async function guest(): Promise<Writer> {
    const userId = uuidv7();
    await createGuestUser(database.db, userId);
    return { userId, isNew: false };
  }

  async function account(): Promise<Writer> {
    const userId = uuidv7();
    await database.db
      .insertInto("users")
      .values({ id: userId, is_guest: false, email: `${userId}@example.com` })
      .execute();
    return { userId, isNew: false };
  }

  async function countAdmitted(admit: () => Promise<unknown>, tries: number): Promise<number> {
    let admitted = 0;
    for (let i = 0; i < tries; i += 1) if ((await admit()) === null) admitted += 1;
    return admitted;
  }

  it("stops a guest's messages at the guest limit and an account's at its own, with the wait", async () => {
    const admit = await admitterWith({ MESSAGES_PER_HOUR: "5", GUEST_MESSAGES_PER_HOUR: "2" });
    const someGuest = await guest();
    expect(await admit(someGuest, { message: true })).toBeNull();
    expect(await admit(someGuest, { message: true })).toBeNull();
    const refused = await admit(someGuest, { message: true });
    expect(refused?.message).toBe(
      "You have reached the limit of 2 messages an hour for guests. You can send another in 1 hour.",
    );
    expect(refused?.retryAfterSeconds).toBeGreaterThan(3590);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(3600);

    const someAccount = await account();
    expect(await countAdmitted(() => admit(someAccount, { message: true }), 8)).toBe(5);
    expect((await admit(someAccount, { message: true }))?.message).toMatch(
      /^You have reached the limit of 5 messages an hour\. /,
    );
  });

  it("never gives a guest more than an account", async () => {
    const admit = await admitterWith({ MESSAGES_PER_HOUR: "3" });
    const someGuest = await guest();
    expect(await countAdmitted(() => admit(someGuest, { message: true }), 6)).toBe(3);
    // A guest created by this very request is a guest too.
    const newcomer = { userId: uuidv7(), isNew: true };
    expect(await countAdmitted(() => admit(newcomer, { message: true }), 6)).toBe(3);
  });

  it("refuses a new chat once chats are used up, without spending a message", async () => {
    const admit = await admitterWith({
      CHATS_PER_HOUR: "1",
      MESSAGES_PER_HOUR: "4",
      GUEST_MESSAGES_PER_HOUR: "off",
    });
    const writer = await guest();
    expect(await admit(writer, { chat: true, message: true })).toBeNull();
    for (let i = 0; i < 3; i += 1) {
      expect((await admit(writer, { chat: true, message: true }))?.message).toBe(
        "You have reached the limit of 1 new chat an hour. You can start another in 1 hour, or go on in one of your chats.",
      );
    }
    // One message spent by the first chat, none by the refused ones.
    expect(await countAdmitted(() => admit(writer, { message: true }), 5)).toBe(3);
  });

  it("limits new guests per address, and not guests who already exist or addresses that are unknown", async () => {
    const admit = await admitterWith({ GUESTS_PER_IP_PER_HOUR: "2" });
    const address = testAddress();
    const newGuest = () => ({ userId: uuidv7(), isNew: true });
    expect(await admit(newGuest(), { chat: true, message: true }, address)).toBeNull();
    expect(await admit(newGuest(), {}, address)).toBeNull();
    const refused = await admit(newGuest(), { chat: true, message: true }, address);
    expect(refused?.message).toBe(
      "Too many new visitors from your network in the last hour. Try again in 1 hour.",
    );
    expect(await admit(newGuest(), { chat: true }, testAddress())).toBeNull();
    expect(await admit(await guest(), { chat: true }, address)).toBeNull();
    expect(await countAdmitted(() => admit(newGuest(), {}, null), 5)).toBe(5);
  });

  it("counts nothing when the limits are off", async () => {
    const admit = await admitterWith({
      MESSAGES_PER_HOUR: "off",
      GUEST_MESSAGES_PER_HOUR: "off",
      CHATS_PER_HOUR: "off",
      GUESTS_PER_IP_PER_HOUR: "off",
    });
    const address = testAddress();
    expect(
      await countAdmitted(
        () => admit({ userId: uuidv7(), isNew: true }, { chat: true, message: true }, address),
        50,
      ),
    ).toBe(50);
    expect(await opened?.rawKeys()).toEqual([]);
  });
});

describe("quotas while Redis is down", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase("postgres");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("are still enforced, per instance, and never fail the request", async () => {
    const opened = await openLimitTestStore("redis");
    try {
      const runtime = { config: limitsConfig({ MESSAGES_PER_HOUR: "3" }), store: opened.store, database };
      const writer = { userId: uuidv7(), isNew: false };
      await createGuestUser(database.db, writer.userId);
      expect(await admitWrite(runtime, writer, { message: true }, null)).toBeNull();
      await opened.redis?.kill();
      const verdicts = [];
      for (let i = 0; i < 4; i += 1)
        verdicts.push(await admitWrite(runtime, writer, { message: true }, null));
      // This instance starts counting afresh: three more, then refused.
      expect(verdicts.map((verdict) => verdict === null)).toEqual([true, true, true, false]);
    } finally {
      await opened.close();
    }
  });
});
