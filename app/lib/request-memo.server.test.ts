import { describe, expect, it } from "vitest";
import { memoizeForRequest } from "./request-memo.server";

const get = () => new Request("http://parley.test/chats");

describe("memoizeForRequest", () => {
  it("reads once per key for the loaders of one request (one load context, a Request each)", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const context = {};
    const [a, b] = await Promise.all([
      memoizeForRequest({ request: get(), context }, "k", read),
      memoizeForRequest({ request: get(), context }, "k", read),
    ]);
    expect([a, b]).toEqual([1, 1]);
    expect(await memoizeForRequest({ request: get(), context }, "other", read)).toBe(2);
    expect(
      await memoizeForRequest({ request: get(), context: {} }, "k", read),
      "another request reads again",
    ).toBe(3);
  });

  it("always reads afresh for an action", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const scope = {
      request: new Request("http://parley.test/chats", { method: "POST", body: "" }),
      context: {},
    };
    await memoizeForRequest(scope, "k", read);
    expect(await memoizeForRequest(scope, "k", read)).toBe(2);
  });

  it("does not keep a failed read", async () => {
    const scope = { request: get(), context: {} };
    await expect(memoizeForRequest(scope, "k", () => Promise.reject(new Error("down")))).rejects.toThrow(
      "down",
    );
    expect(await memoizeForRequest(scope, "k", async () => "fine")).toBe("fine");
  });
});
