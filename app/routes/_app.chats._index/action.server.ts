import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { sendMessageSchema } from "#app/lib/forms";
import { formLimitFor, parseForm, readForm, withCookie } from "#app/lib/http.server";
import { startChat } from "#app/services/chats.server";
import { getProject } from "#app/services/projects.server";
import { readyRuntime } from "#app/services/runtime.server";
import { requireWriter } from "#app/services/visitor.server";

const newChatSchema = (maxChars: number) =>
  sendMessageSchema(maxChars).extend({
    projectId: z
      .uuid()
      .toLowerCase()
      .optional()
      .or(z.literal("").transform(() => undefined)),
  });

/** The first message creates the chat (and, on a first write, the guest account) and opens it. */
export async function action({ request }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request, formLimitFor(runtime.config.MESSAGE_MAX_CHARS));
  const input = parseForm(newChatSchema(runtime.config.MESSAGE_MAX_CHARS), form);
  if (!input.success) return input.response;
  const writer = await requireWriter(runtime, request);
  // A project id the person does not own is ignored rather than trusted.
  const project = input.data.projectId
    ? await getProject(runtime, writer.userId, input.data.projectId)
    : null;
  const chatId = await startChat(runtime, writer.userId, { ...input.data, projectId: project?.id ?? null });
  return redirect(`/chats/${chatId}`, { headers: withCookie(writer.setCookie) });
}
