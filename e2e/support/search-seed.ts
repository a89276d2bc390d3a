import { uuidv7 } from "#db/ids";
import { e2eData } from "./database";

/**
 * Seeds one chat for search tests: `contents` in order, the person's and Parley's in turn,
 * through the app's own repository. Resolves the chat id and the message ids, oldest first.
 */
export async function seedChatWith(
  userId: string,
  title: string,
  contents: string[],
): Promise<{ chatId: string; messageIds: string[] }> {
  const { chats } = e2eData();
  const chatId = uuidv7();
  const batch = contents.map((content, index) => ({
    id: uuidv7(),
    chatId: "",
    role: index % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content,
    status: "complete" as const,
    clientId: index % 2 === 0 ? uuidv7() : null,
  }));
  const [first, ...rest] = batch;
  await chats.createChat({ id: chatId, userId, title, titleSource: "user" }, [first]);
  if (rest.length > 0) {
    const outcome = await chats.appendMessages(
      userId,
      chatId,
      rest.map((message) => ({ ...message, chatId })),
    );
    if (outcome.kind !== "appended") throw new Error(`Could not seed messages: ${outcome.kind}`);
  }
  return { chatId, messageIds: batch.map((message) => message.id) };
}

/**
 * Edits one of the person's messages of a seeded chat as the app does (a new version beside
 * it, with a reply), so the old continuation is a version no longer shown.
 */
export async function seedEdit(userId: string, chatId: string, messageId: string, content: string) {
  const { chats } = e2eData();
  const reply = {
    chatId,
    role: "assistant" as const,
    content: "",
    status: "pending" as const,
    clientId: null,
  };
  const edit = await chats.editMessage(userId, chatId, messageId, { content, clientId: uuidv7() }, reply);
  if (edit.kind !== "branched") throw new Error(`Could not seed an edit: ${edit.kind}`);
  const done = await chats.updateMessage(userId, chatId, edit.reply.id, {
    content: "A reply to the edit.",
    status: "complete",
  });
  if (done.kind !== "updated") throw new Error(`Could not finish the edit's reply: ${done.kind}`);
  return { editedId: edit.reply.parent_id! };
}
