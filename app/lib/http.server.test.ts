import { describe, expect, it } from "vitest";
import { FORM_MAX_BYTES, formLimitFor, readForm } from "./http.server";

const url = "http://parley.test/chats";

async function refusal(request: Request): Promise<{ status: number; text: string; allow: string | null }> {
  try {
    await readForm(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, text: await thrown.text(), allow: thrown.headers.get("Allow") };
  }
  throw new Error("the form was accepted");
}

describe("readForm", () => {
  it("reads a URL-encoded and a multipart form", async () => {
    const encoded = await readForm(new Request(url, { method: "POST", body: new URLSearchParams({ content: "hello" }) }));
    expect(encoded.get("content")).toBe("hello");
    const multipart = new FormData();
    multipart.set("content", "über");
    expect((await readForm(new Request(url, { method: "POST", body: multipart }))).get("content")).toBe("über");
  });

  it("refuses other methods with 405 and says which one to use", async () => {
    const result = await refusal(new Request(url, { method: "DELETE" }));
    expect(result).toMatchObject({ status: 405, allow: "POST" });
    expect(result.text).toMatch(/POST/);
  });

  it("refuses JSON and bodies without a type with 415", async () => {
    const json = new Request(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"content":"hi"}' });
    expect((await refusal(json)).status).toBe(415);
    expect((await refusal(new Request(url, { method: "POST" }))).status).toBe(415);
  });

  it("refuses a declared length over the budget with 413, before reading the body", async () => {
    const request = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(FORM_MAX_BYTES + 1) },
      body: "content=x",
    });
    expect(await refusal(request)).toMatchObject({ status: 413, text: "This form is too large." });
  });

  it("refuses a multipart body that does not parse with 400", async () => {
    const request = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
      body: "this is not multipart",
    });
    expect(await refusal(request)).toMatchObject({ status: 400, text: "This form could not be read." });
  });

  it("gives message forms room for the longest message, URL-encoded", () => {
    expect(formLimitFor(16_000)).toBe(FORM_MAX_BYTES);
    expect(formLimitFor(200_000)).toBeGreaterThanOrEqual(200_000 * 4 * 3);
  });
});
