import type { ClientActionFunctionArgs, ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import { serverActionOrUnreachable, UNREACHABLE_ERROR, unlessUnreachable } from "./unreachable";

const args = (serverAction: () => Promise<unknown>) =>
  ({ serverAction }) as unknown as ClientActionFunctionArgs;
const revalidation = (actionResult: unknown, defaultShouldRevalidate = true) =>
  ({ actionResult, defaultShouldRevalidate }) as unknown as ShouldRevalidateFunctionArgs;

describe("serverActionOrUnreachable", () => {
  it("answers what the server answered", async () => {
    expect(await serverActionOrUnreachable(args(async () => ({ ok: true })))).toEqual({ ok: true });
  });

  it("turns a request that got no answer (fetch's TypeError) into a refusal", async () => {
    const result = await serverActionOrUnreachable(
      args(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    expect(result).toEqual({ ok: false, error: UNREACHABLE_ERROR, unreachable: true });
  });

  it("lets anything else through to the error boundary (redirects, server errors)", async () => {
    const redirect = new Response(null, { status: 302, headers: { Location: "/chats" } });
    await expect(serverActionOrUnreachable(args(() => Promise.reject(redirect)))).rejects.toBe(redirect);
    await expect(serverActionOrUnreachable(args(() => Promise.reject(new Error("boom"))))).rejects.toThrow(
      "boom",
    );
  });
});

describe("unlessUnreachable", () => {
  it("keeps the page after an unreachable submission, and defers to Remix otherwise", () => {
    expect(unlessUnreachable(revalidation({ ok: false, error: UNREACHABLE_ERROR, unreachable: true }))).toBe(
      false,
    );
    expect(unlessUnreachable(revalidation({ ok: false, error: "Too long" }))).toBe(true);
    expect(unlessUnreachable(revalidation(undefined, false))).toBe(false);
  });
});
