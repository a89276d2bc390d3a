import { describe, expect, it } from "vitest";
import { asLocationHeader, done, FORM_MAX_BYTES, formLimitFor, readForm } from "./http.server";

const url = "http://parley.test/chats";

/** A POST as a browser sends it: encoded, with its Content-Type and Content-Length. */
async function posted(
  body: URLSearchParams | FormData,
  extra: Record<string, string> = {},
): Promise<Request> {
  const encoded = new Response(body);
  const bytes = await encoded.arrayBuffer();
  const headers = {
    "Content-Type": encoded.headers.get("Content-Type") ?? "",
    "Content-Length": String(bytes.byteLength),
    ...extra,
  };
  return new Request(url, { method: "POST", headers, body: bytes });
}

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
    const encoded = await readForm(await posted(new URLSearchParams({ content: "hello" })));
    expect(encoded.get("content")).toBe("hello");
    const multipart = new FormData();
    multipart.set("content", "über");
    expect((await readForm(await posted(multipart))).get("content")).toBe("über");
  });

  it("refuses other methods with 405 and says which one to use", async () => {
    const result = await refusal(new Request(url, { method: "DELETE" }));
    expect(result).toMatchObject({ status: 405, allow: "POST" });
    expect(result.text).toMatch(/POST/);
  });

  it("refuses JSON and bodies without a type with 415", async () => {
    const json = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"content":"hi"}',
    });
    expect((await refusal(json)).status).toBe(415);
    expect((await refusal(new Request(url, { method: "POST" }))).status).toBe(415);
  });

  it("refuses a form without a declared length with 411", async () => {
    const chunked = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "content=x",
    });
    expect(await refusal(chunked)).toMatchObject({
      status: 411,
      text: "Send this form with a Content-Length header.",
    });
  });

  it("refuses a declared length over the budget with 413, before reading the body", async () => {
    const request = new Request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(FORM_MAX_BYTES + 1),
      },
      body: "content=x",
    });
    expect(await refusal(request)).toMatchObject({ status: 413, text: "This form is too large." });
  });

  it("refuses a multipart body that does not parse with 400", async () => {
    const request = new Request(url, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": "21" },
      body: "this is not multipart",
    });
    expect(await refusal(request)).toMatchObject({ status: 400, text: "This form could not be read." });
  });

  it("refuses a form from another site with 403 (Remix checks only Origin, not Sec-Fetch-Site)", async () => {
    const form = new URLSearchParams({ content: "hello" });
    const forged: Array<Record<string, string>> = [
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "http://evil.example" },
    ];
    for (const headers of forged) {
      const result = await refusal(await posted(form, headers));
      expect(result.status).toBe(403);
      expect(result.text).toMatch(/sent from another site/);
    }
    const same = await posted(form, { Origin: "http://parley.test", "Sec-Fetch-Site": "same-origin" });
    expect((await readForm(same)).get("content")).toBe("hello");
  });

  it("gives message forms room for the longest message, URL-encoded", () => {
    expect(formLimitFor(16_000)).toBe(FORM_MAX_BYTES);
    expect(formLimitFor(200_000)).toBeGreaterThanOrEqual(200_000 * 4 * 3);
  });
});

describe("done", () => {
  const plainPost = new FormData();

  it("redirects to a path outside Latin-1, percent-encoded, instead of failing after the change", () => {
    const response = done(plainPost, "/chats?q=€ and 日本") as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/chats?q=%E2%82%AC%20and%20%E6%97%A5%E6%9C%AC");
  });

  it("leaves a path that is already encoded as it is", () => {
    expect(asLocationHeader("/chats/%C3%A9?cursor=a_b-c")).toBe("/chats/%C3%A9?cursor=a_b-c");
    expect(asLocationHeader("/a\u0000b")).toBe("/a%00b");
  });
});
