import { z } from "zod";
import { log } from "#app/lib/logger.server";
import { getLlmProvider } from "./llm/provider-instance.server";
import type { Runtime } from "./runtime.server";

const MODELS_KEY = "models";
const MODELS_TTL_SECONDS = 300;
const modelsSchema = z.array(z.string()).min(1);

/**
 * The models a chat can use: the provider's list, cached in the hot store for a few minutes
 * (every chat page shows it; the provider should not be asked each time). When the provider
 * cannot list them, the configured default is the only choice.
 */
export async function availableModels(runtime: Runtime): Promise<{ models: string[]; defaultModel: string }> {
  const provider = getLlmProvider();
  const cached = await runtime.store.get(MODELS_KEY).catch(() => null);
  if (cached) {
    const parsed = modelsSchema.safeParse(JSON.parse(cached));
    if (parsed.success) return { models: parsed.data, defaultModel: provider.defaultModel };
  }
  let models: string[];
  try {
    models = await provider.listModels(AbortSignal.timeout(5_000));
  } catch (error) {
    log.warn("could not list models", { error: String(error) });
    return { models: [provider.defaultModel], defaultModel: provider.defaultModel };
  }
  if (!models.includes(provider.defaultModel)) models = [provider.defaultModel, ...models];
  await runtime.store.set(MODELS_KEY, JSON.stringify(models), MODELS_TTL_SECONDS).catch(() => undefined);
  return { models, defaultModel: provider.defaultModel };
}

/**
 * The model list as the hot store holds it, unparsed: every chat page shows it, and no version
 * covers it, so the response cache keys a kept page by it. Null when absent or unreachable.
 */
export function cachedModelList(runtime: Runtime): Promise<string | null> {
  return runtime.store.get(MODELS_KEY).catch(() => null);
}

export type SetModelOutcome = "set" | "unknown-model" | "not-found";

export async function setChatModel(
  runtime: Runtime,
  userId: string,
  chatId: string,
  model: string,
): Promise<SetModelOutcome> {
  const { models } = await availableModels(runtime);
  if (!models.includes(model)) return "unknown-model";
  return (await runtime.chats.setChatModel(userId, chatId, model)) ? "set" : "not-found";
}
