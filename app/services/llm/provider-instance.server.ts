import { singleton } from "#app/lib/singleton.server";
import { getConfig } from "#app/config.server";
import { createLlmProvider } from "./create-provider.server";
import type { LlmProvider } from "./provider.server";

/** The process's model provider, from LLM_* configuration (offline demo when unset). */
export function getLlmProvider(): LlmProvider {
  return singleton("llm-provider", () => {
    const config = getConfig();
    return createLlmProvider({
      baseUrl: config.LLM_BASE_URL,
      apiKey: config.LLM_API_KEY,
      model: config.LLM_MODEL,
      offlineDelayMs: config.LLM_OFFLINE_DELAY_MS,
      firstByteTimeoutMs: config.LLM_FIRST_BYTE_TIMEOUT_MS,
      idleTimeoutMs: config.LLM_IDLE_TIMEOUT_MS,
    });
  });
}
