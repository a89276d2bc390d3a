import { getConfig } from "#app/config.server";
import type { PublicConfig } from "#app/lib/root-data";
import { getLlmProvider } from "./llm/provider-instance.server";

export function publicConfig(): PublicConfig {
  const config = getConfig();
  return { messageMaxChars: config.MESSAGE_MAX_CHARS, offline: getLlmProvider().kind === "offline" };
}
