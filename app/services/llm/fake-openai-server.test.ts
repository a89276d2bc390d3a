/**
 * The fake OpenAI server lives in e2e/ but is tested here (where vitest looks), because
 * the Playwright specs depend on its control API and CLI behaving as documented.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  enqueueBehaviours,
  recordedRequests,
  resetFake,
  setDefaultBehaviour,
} from "#e2e/fake-llm/control-client";
import { startFakeOpenAi, type FakeOpenAi } from "#e2e/fake-llm/fake-openai-server";

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ models: ["m1"] });
});
afterAll(() => fake.close());

async function complete(url: string, body: unknown = { model: "m1", messages: [], stream: true }) {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Test": "yes" },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

describe("fake OpenAI server", () => {
  it("streams a reply in OpenAI's wire format", async () => {
    fake.enqueue({ type: "reply", chunks: ["Hi", "!"] });
    const { status, type, text } = await complete(fake.url);
    expect(status).toBe(200);
    expect(type).toBe("text/event-stream");
    const events = text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, "")));
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { role: "assistant" },
      { content: "Hi" },
      { content: "!" },
      {},
    ]);
    expect(chunks.map((c) => c.choices[0].finish_reason)).toEqual([null, null, null, "stop"]);
    expect(chunks[0]).toMatchObject({
      object: "chat.completion.chunk",
      model: "m1",
      choices: [{ index: 0 }],
    });
    expect(typeof chunks[0].id).toBe("string");
    expect(typeof chunks[0].created).toBe("number");
  });

  it("lists its models in OpenAI's shape", async () => {
    const body = await (await fetch(`${fake.url}/models`)).json();
    expect(body).toMatchObject({ object: "list", data: [{ id: "m1", object: "model" }] });
  });

  it("is scriptable over HTTP by another process", async () => {
    await resetFake(fake.url);
    await enqueueBehaviours(fake.url, [
      { type: "status", status: 503 },
      { type: "reply", chunks: ["queued"] },
    ]);
    await setDefaultBehaviour(`http://127.0.0.1:${fake.port}/`, { type: "reply", chunks: ["default"] });

    expect((await complete(fake.url)).status).toBe(503);
    expect((await complete(fake.url)).text).toContain('"content":"queued"');
    expect((await complete(fake.url)).text).toContain('"content":"default"');

    const requests = await recordedRequests(fake.url);
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      body: { model: "m1" },
    });
    expect(requests[0].headers["x-test"]).toBe("yes");

    await resetFake(fake.url);
    expect(await recordedRequests(fake.url)).toEqual([]);
    expect((await complete(fake.url)).text).toContain('"content":"Hello"');
  });

  it("rejects behaviours it does not understand", async () => {
    await expect(enqueueBehaviours(fake.url, [{ type: "explode" } as never])).rejects.toThrow(/400/);
  });

  it("runs as a CLI that prints its URL and exits on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "e2e/fake-llm/cli.ts", "--port", "0"], {
      cwd: new URL("../../../", import.meta.url),
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const url = /^fake-openai listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(line.toString())?.[1];
      expect(url).toBeDefined();
      const models = await (await fetch(`${url}/models`)).json();
      expect(models.data.map((m: { id: string }) => m.id)).toEqual(["fake-model-a", "fake-model-b"]);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });
});
