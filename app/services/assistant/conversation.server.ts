import type { MessageRow } from "#db/schema";
import { trimHistory } from "#app/services/llm/history-budget.server";
import type { ChatTurn } from "#app/services/llm/provider.server";

/**
 * What the model is sent for a reply: the project's instructions as the system prompt, then
 * the conversation before the reply, trimmed to the budget from the oldest end. Failed and
 * empty replies are left out: the model should not imitate an error message.
 */
export function buildTurns(
  conversation: MessageRow[],
  replyId: string,
  options: { instructions?: string | null; budgetChars: number },
): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const message of conversation) {
    if (message.id === replyId) break;
    if (message.role === "assistant" && (message.status === "error" || message.content.trim() === ""))
      continue;
    turns.push({ role: message.role, content: message.content });
  }
  const instructions = options.instructions?.trim();
  const budget = Math.max(1, options.budgetChars - (instructions?.length ?? 0));
  const trimmed = trimHistory(turns, budget);
  return instructions ? [{ role: "system", content: instructions }, ...trimmed] : trimmed;
}
