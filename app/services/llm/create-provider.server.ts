/**
 * Picks the provider from configuration: a base URL means a real OpenAI-compatible model;
 * without one Parley runs its offline demo rather than refusing to start.
 */
import { createOfflineProvider } from "./offline-provider.server";
import { createOpenAiProvider } from "./openai-provider.server";
import type { LlmProvider } from "./provider.server";

export interface LlmConfig {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  offlineDelayMs?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

export function createLlmProvider(config: LlmConfig): LlmProvider {
  // Treat blank env values (LLM_BASE_URL= in a .env file) as unset.
  const baseUrl = config.baseUrl?.trim();
  if (!baseUrl) return createOfflineProvider({ delayMs: config.offlineDelayMs });
  return createOpenAiProvider({
    baseUrl,
    apiKey: config.apiKey?.trim() || undefined,
    defaultModel: config.model?.trim() || DEFAULT_OPENAI_MODEL,
    firstByteTimeoutMs: config.firstByteTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
  });
}
