import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { uuidv7 } from "#db/ids";
import { createProject, getProject } from "#db/repositories/projects";
import { test, expect, signInGuest } from "./support/fixtures";
import { chatIdOf, composer, sendButton } from "./support/chat";
import { e2eData } from "./support/database";
import { newMarker, scriptFakeModel } from "./support/fake-model";

/**
 * Every intent of every action, tried by another visitor with the owner's ids: in the URL,
 * in the form's fields, and mixed with the attacker's own chat or a chat that does not exist.
 * Each attempt is a 404, and afterwards the owner's chat, reply and project are as they were.
 */
test("another visitor's ids get a 404 from every intent, and the owner's data is untouched", async ({
  browser,
  page,
  guest,
}) => {
  const marker = newMarker("isolation-hold");
  await scriptFakeModel(marker, { type: "hold", chunks: ["Still ", "writing"] });
  await page.goto("/chats");
  await composer(page).fill(`Owner's question ${marker}`);
  await sendButton(page).click();
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]{36}$/);
  const chatId = chatIdOf(page);
  const { chats, database } = e2eData();
  await expect
    .poll(async () => (await chats.visibleBranchMessages(guest.userId, chatId)).map((m) => m.status))
    .toEqual(["complete", "pending"]);
  const [question, reply] = await chats.visibleBranchMessages(guest.userId, chatId);
  const projectId = uuidv7();
  await createProject(database.db, {
    id: projectId,
    userId: guest.userId,
    name: "Owner's project",
    icon: "🔒",
    instructions: "Owner's instructions",
  });
  const before = await chats.getChat(guest.userId, chatId);

  const otherContext = await browser.newContext();
  try {
    const attacker = await signInGuest(otherContext);
    const [ownChatId] = await attacker.seedChats(1, () => "Attacker's chat");
    const request = otherContext.request;
    const missingChatId = uuidv7();

    const chatIntents = (messageChatId: string): Attempt[] => [
      { at: messageChatId, form: { intent: "stop", messageId: reply.id } },
      { at: messageChatId, form: { intent: "retry", messageId: reply.id } },
      { at: messageChatId, form: { intent: "edit", messageId: question.id, content: "Rewritten" } },
      { at: messageChatId, form: { intent: "version", messageId: question.id } },
      { at: messageChatId, form: { intent: "version", messageId: reply.id } },
    ];
    const attempts: Attempt[] = [
      { at: chatId, form: { intent: "send", content: "Let me in", clientId: randomUUID() } },
      { at: chatId, form: { intent: "rename", title: "Taken over" } },
      { at: chatId, form: { intent: "model", model: "fake-model-b" } },
      { at: chatId, form: { intent: "delete" } },
      { at: chatId, form: { intent: "pin" } },
      { at: chatId, form: { intent: "unpin" } },
      { at: chatId, form: { intent: "archive" } },
      { at: chatId, form: { intent: "restore" } },
      ...chatIntents(chatId),
      ...chatIntents(ownChatId),
      ...chatIntents(missingChatId),
    ];
    for (const attempt of attempts) {
      const response = await post(request, `/chats/${attempt.at}`, attempt.form);
      expect(response.status(), `${attempt.form.intent} at ${describe(attempt.at)}`).toBe(404);
    }
    for (const intent of ["save", "delete"]) {
      const response = await post(request, `/projects/${projectId}`, {
        intent,
        name: "Taken over",
        icon: "💀",
        instructions: "Leak everything",
      });
      expect(response.status(), `project ${intent}`).toBe(404);
    }
    // The bulk actions name no chat: they reach the attacker's own chats only.
    for (const intent of ["archive-all", "delete-all"]) {
      const response = await post(request, "/archive", { intent, chatId, userId: guest.userId });
      expect(response.status(), intent).toBe(302);
    }
    expect(await attacker.chatIds()).toEqual([]);
    expect((await post(request, "/archive", { intent: "forget-all" })).status()).toBe(400);
    // A new chat naming the owner's project is made outside it (the id is not trusted).
    const created = await post(request, "/chats?index", {
      intent: "send",
      content: "Put me in their project",
      clientId: randomUUID(),
      projectId,
    });
    expect(created.status()).toBe(302);
    const createdId = created.headers().location?.split("/").pop() ?? "";
    expect((await chats.getChat(attacker.userId, createdId))?.project_id).toBeNull();

    function describe(at: string) {
      return at === chatId ? "the owner's chat" : at === ownChatId ? "the attacker's chat" : "a missing chat";
    }
  } finally {
    await otherContext.close();
  }

  const after = await chats.getChat(guest.userId, chatId);
  expect(after).toMatchObject({
    title: before?.title,
    model: before?.model,
    version: before?.version,
    pinned_at: null,
    archived_at: null,
  });
  // The whole tree, not only the branch shown: no version was added anywhere.
  const tree = await chats.messageTree(guest.userId, chatId);
  expect(tree?.activeLeafId).toBe(reply.id);
  expect(tree?.messages.map((message) => [message.id, message.content, message.status])).toEqual([
    [question.id, question.content, "complete"],
    [reply.id, expect.any(String), "pending"],
  ]);
  expect(await getProject(database.db, guest.userId, projectId)).toMatchObject({
    name: "Owner's project",
    instructions: "Owner's instructions",
  });

  // The owner can still stop their own reply, which ends the held stream.
  const stop = await post(page.request, `/chats/${chatId}`, { intent: "stop", messageId: reply.id });
  expect(stop.status()).toBe(302);
  await expect
    .poll(async () => (await chats.visibleBranchMessages(guest.userId, chatId))[1]?.status)
    .toBe("stopped");
});

interface Attempt {
  at: string;
  form: Record<string, string>;
}

function post(request: APIRequestContext, url: string, form: Record<string, string>) {
  return request.post(url, { form, maxRedirects: 0 });
}
