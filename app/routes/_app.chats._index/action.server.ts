import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { clientAddress } from "#app/lib/client-address.server";
import { sendMessageSchema } from "#app/lib/forms";
import {
  formLimitFor,
  outageAsRefusal,
  parseForm,
  readForm,
  tooManyRequests,
  withCookie,
} from "#app/lib/http.server";
import { startChat } from "#app/services/chats.server";
import { admitWrite } from "#app/services/limits/quotas.server";
import { getProject } from "#app/services/projects.server";
import { readyRuntime } from "#app/services/runtime.server";
import { planWriter } from "#app/services/visitor.server";

const newChatSchema = (maxChars: number) =>
  sendMessageSchema(maxChars).extend({
    projectId: z
      .uuid()
      .toLowerCase()
      .optional()
      .or(z.literal("").transform(() => undefined)),
  });

/**
 * The first message creates the chat (and, on a first write, the guest account) and opens it.
 * The quotas come first: over one, nothing is created and no model is called.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const form = await readForm(request, formLimitFor(runtime.config.MESSAGE_MAX_CHARS));
  const input = parseForm(newChatSchema(runtime.config.MESSAGE_MAX_CHARS), form);
  if (!input.success) return input.response;
  return outageAsRefusal(form, "content", async () => {
    const planned = await planWriter(runtime, request);
    const address = clientAddress(request, context, runtime.config.TRUST_PROXY);
    const refusal = await admitWrite(runtime, planned, { chat: true, message: true }, address);
    if (refusal) return tooManyRequests(refusal, "content");
    const writer = await planned.create();
    // A project id the person does not own is ignored rather than trusted.
    const project = input.data.projectId
      ? await getProject(runtime, writer.userId, input.data.projectId)
      : null;
    const chatId = await startChat(runtime, writer.userId, { ...input.data, projectId: project?.id ?? null });
    return redirect(`/chats/${chatId}`, { headers: withCookie(writer.setCookie) });
  });
}
