import { log } from "#app/lib/logger.server";
import { TITLE_MAX_CHARS } from "#app/lib/title";
import type { MessageRow } from "#db/schema";
import { getLlmProvider } from "#app/services/llm/provider-instance.server";
import type { Runtime } from "#app/services/runtime.server";

const TITLE_TIMEOUT_MS = 15_000;

/**
 * After a chat's first reply, a real model names the chat in a few words, unless the person
 * renamed it meanwhile (the rename is conditional on the title still being the derived one).
 * The offline demo keeps the title derived from the first message.
 */
export async function nameChatAfterFirstReply(
  runtime: Runtime,
  userId: string,
  chatId: string,
  conversation: MessageRow[],
  reply: string,
): Promise<void> {
  const provider = getLlmProvider();
  if (provider.kind === "offline") return;
  const userMessages = conversation.filter((message) => message.role === "user");
  if (userMessages.length !== 1) return;
  const chat = await runtime.chats.getChat(userId, chatId);
  if (!chat || chat.title_source !== "derived") return;

  const signal = AbortSignal.timeout(TITLE_TIMEOUT_MS);
  let title = "";
  try {
    for await (const delta of provider.streamChat({
      model: chat.model ?? provider.defaultModel,
      signal,
      messages: [
        {
          role: "system",
          content:
            "Name this conversation in 2 to 6 words. Answer with the name only: no quotes, no punctuation at the end.",
        },
        {
          role: "user",
          content: `${userMessages[0].content.slice(0, 2000)}\n\n---\n\n${reply.slice(0, 2000)}`,
        },
      ],
    })) {
      title += delta;
      if (title.length > 200) break;
    }
  } catch (error) {
    log.warn("could not name chat", { chatId, error: String(error) });
    return;
  }
  const cleaned = cleanTitle(title);
  if (cleaned) await runtime.chats.renameChat(userId, chatId, cleaned, "model", "derived");
}

export function cleanTitle(raw: string): string {
  const oneLine = raw
    .replace(/\s+/g, " ")
    .replace(/^["'“”‘’#*\s]+|["'“”‘’*.\s]+$/g, "")
    .trim();
  return oneLine.length > TITLE_MAX_CHARS ? `${oneLine.slice(0, TITLE_MAX_CHARS - 1).trimEnd()}…` : oneLine;
}
