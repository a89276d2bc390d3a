import { redirect } from "@remix-run/node";
import { z } from "zod";
import { sendMessageSchema } from "#app/lib/forms";
import { formLimitFor, parseForm, readForm, withCookie } from "#app/lib/http.server";
import { startChat } from "./chats.server";
import { getProject } from "./projects.server";
import { readyRuntime } from "./runtime.server";
import { requireWriter } from "./visitor.server";

const newChatSchema = (maxChars: number) =>
  sendMessageSchema(maxChars).extend({
    projectId: z
      .uuid()
      .optional()
      .or(z.literal("").transform(() => undefined)),
  });

/** The first message creates the chat (and, on a first write, the guest account) and opens it. */
export async function handleNewChatAction(request: Request) {
  const runtime = await readyRuntime();
  const form = await readForm(request, formLimitFor(runtime.config.MESSAGE_MAX_CHARS));
  const input = parseForm(newChatSchema(runtime.config.MESSAGE_MAX_CHARS), form);
  if (!input.success) return input.response;
  const writer = await requireWriter(request);
  // A project id the person does not own is ignored rather than trusted.
  const project = input.data.projectId ? await getProject(writer.userId, input.data.projectId) : null;
  const chatId = await startChat(writer.userId, { ...input.data, projectId: project?.id ?? null });
  return redirect(`/chats/${chatId}`, { headers: withCookie(writer.setCookie) });
}
