import { describe, expect, it } from "vitest";
import { createOfflineProvider } from "./offline-provider.server";
import type { ChatTurn } from "./provider.server";

const conversation: ChatTurn[] = [
  { role: "system", content: "Answer in French. Keep answers short." },
  { role: "user", content: "I want to plan a garden with tomatoes and basil." },
  { role: "assistant", content: "(offline demo reply)" },
  { role: "user", content: "Which tomatoes grow well in pots?\nAnd is basil a good neighbour for tomatoes?" },
];

async function collect(messages: ChatTurn[], signal = new AbortController().signal) {
  const deltas: string[] = [];
  for await (const delta of createOfflineProvider({ delayMs: 0 }).streamChat({
    model: "offline-demo",
    messages,
    signal,
  })) {
    deltas.push(delta);
  }
  return deltas;
}

describe("offline provider", () => {
  it("describes itself as the offline demo", async () => {
    const provider = createOfflineProvider();
    expect(provider.kind).toBe("offline");
    expect(provider.defaultModel).toBe("offline-demo");
    expect(await provider.listModels()).toEqual(["offline-demo"]);
  });

  it("says up front that no model is connected and how to connect one", async () => {
    const reply = (await collect(conversation)).join("");
    expect(reply.split("\n")[0]).toMatch(/offline demo: no AI model is connected/);
    expect(reply).toContain("LLM_BASE_URL");
    expect(reply).toContain("README");
  });

  it("quotes the last message as a blockquote and summarises the conversation", async () => {
    const reply = (await collect(conversation)).join("");
    expect(reply).toContain(
      "> Which tomatoes grow well in pots?\n> And is basil a good neighbour for tomatoes?",
    );
    expect(reply).toContain("Messages from you: 2 (3 in the conversation in total)");
    // "tomatoes" (3) and "basil" (2) lead; stop words like "and"/"with" never appear.
    expect(reply).toContain('Words you used most: "tomatoes" (3), "basil" (2),');
    expect(reply).not.toMatch(/"(and|with|is|a)"/);
    expect(reply).toMatch(/Length of your messages: 24 words, 125 characters/);
  });

  it("mentions project instructions only when there are some", async () => {
    const withInstructions = (await collect(conversation)).join("");
    expect(withInstructions).toContain("Project instructions received: 6 words, 37 characters");
    const without = (await collect(conversation.slice(1))).join("");
    expect(without).not.toContain("instructions");
  });

  it("streams word by word, and the pieces add up to the same text every time", async () => {
    const first = await collect(conversation);
    const second = await collect(conversation);
    expect(first.length).toBeGreaterThan(20);
    expect(first).toEqual(second);
    expect(first.every((delta) => delta.trim().split(/\s+/).length === 1)).toBe(true);
  });

  it("waits between words and stops when the signal aborts", async () => {
    const provider = createOfflineProvider({ delayMs: 20 });
    const controller = new AbortController();
    const deltas: string[] = [];
    const started = Date.now();
    const run = (async () => {
      for await (const delta of provider.streamChat({
        model: "offline-demo",
        messages: conversation,
        signal: controller.signal,
      })) {
        deltas.push(delta);
        if (deltas.length === 3) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(deltas).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("handles a conversation without any message from the person", async () => {
    const reply = (await collect([{ role: "system", content: "Be kind." }])).join("");
    expect(reply).toContain("There is no message from you yet.");
  });
});
