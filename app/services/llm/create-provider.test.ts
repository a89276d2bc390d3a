import { describe, expect, it } from "vitest";
import { createLlmProvider } from "./create-provider.server";

describe("createLlmProvider", () => {
  it("runs the offline demo without a base URL (or with a blank one)", () => {
    expect(createLlmProvider({}).kind).toBe("offline");
    expect(createLlmProvider({ baseUrl: "  ", model: "x" }).kind).toBe("offline");
  });

  it("talks to an OpenAI-compatible API when a base URL is set", () => {
    const provider = createLlmProvider({ baseUrl: "http://127.0.0.1:11434/v1" });
    expect(provider.kind).toBe("openai");
    expect(provider.defaultModel).toBe("gpt-4o-mini");
    expect(createLlmProvider({ baseUrl: "http://127.0.0.1:11434/v1", model: "llama3.2" }).defaultModel).toBe(
      "llama3.2",
    );
  });
});
