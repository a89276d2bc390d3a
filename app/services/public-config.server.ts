import { getConfig } from "#app/config.server";
import { getLlmProvider } from "./llm/provider-instance.server";

/** The only configuration the browser sees: limits and labels, never secrets or URLs. */
export interface PublicConfig {
  messageMaxChars: number;
  offline: boolean;
}

export function publicConfig(): PublicConfig {
  const config = getConfig();
  return { messageMaxChars: config.MESSAGE_MAX_CHARS, offline: getLlmProvider().kind === "offline" };
}
