import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { canonicalId } from "#db/ids";
import {
  clientIdSchema,
  deleteChatSchema,
  localPathSchema,
  messageContentSchema,
  placeChatSchema,
  renameChatSchema,
  sendMessageSchema,
  storableText,
} from "#app/lib/forms";
import {
  done,
  failure,
  formLimitFor,
  notFound,
  outageAsRefusal,
  parseForm,
  readForm,
  tooManyRequests,
} from "#app/lib/http.server";
import {
  editMessage,
  regenerateReply,
  stopReply,
  type RerunOutcome,
} from "#app/services/assistant/assistant.server";
import { deleteChat, renameChat, sendMessage, showVersion } from "#app/services/chats.server";
import { PINNED_CHATS_MAX, setChatArchived, setChatPinned } from "#app/services/chat-placement.server";
import { admitWrite } from "#app/services/limits/quotas.server";
import { setChatModel } from "#app/services/models.server";
import { createSharedLink } from "#app/services/shared-links/shared-links.server";
import type { SharedLinkCreated } from "#app/lib/action-result";
import { readyRuntime, type Runtime } from "#app/services/runtime.server";
import { getUserId } from "#app/services/visitor.server";

const messageIdSchema = z.object({ messageId: z.uuid("Unknown message.").toLowerCase() });
/** Edit and regenerate may carry the request's idempotency key (a double post makes one version). */
const versionRequestSchema = messageIdSchema.extend({ clientId: clientIdSchema.optional() });
const BUSY = "Parley is still replying in this chat. Wait for the reply, or stop it.";

/**
 * Everything a person can do to an open chat, one `intent` per form. Authorises first: a chat
 * that is not the visitor's is a 404, the same as one that does not exist. A send, an edit and
 * a retry each call the model (an edit or a retry adds a version beside the old one), so each counts against the hourly message quota, checked
 * before anything is written.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const runtime = await readyRuntime();
  const chatId = canonicalId(params.chatId);
  if (!chatId) notFound("This chat does not exist.");
  const form = await readForm(request, formLimitFor(runtime.config.MESSAGE_MAX_CHARS));
  // A send refused by an outage gives its text back to the composer (the field it names).
  const field = form.get("intent") === "send" ? "content" : undefined;
  return outageAsRefusal(form, field, () => act(runtime, request, chatId, form));
}

async function act(runtime: Runtime, request: Request, chatId: string, form: FormData) {
  const userId = await getUserId(runtime, request);
  if (!userId) notFound("This chat does not exist.");
  const here = `/chats/${chatId}`;

  switch (form.get("intent")) {
    case "send": {
      const input = parseForm(sendMessageSchema(runtime.config.MESSAGE_MAX_CHARS), form);
      if (!input.success) return input.response;
      const refusal = await admitWrite(runtime, { userId, isNew: false }, { message: true }, null);
      if (refusal) return tooManyRequests(refusal, "content");
      const outcome = await sendMessage(runtime, userId, chatId, input.data);
      if (outcome === "not-found") notFound("This chat does not exist.");
      if (outcome === "busy") return failure(409, BUSY, { content: BUSY });
      return done(form, here);
    }
    case "rename": {
      const input = parseForm(renameChatSchema, form);
      if (!input.success) return input.response;
      if (!(await renameChat(runtime, userId, chatId, input.data.title)))
        return failure(404, "This chat no longer exists.");
      return done(form, localPath(form.get("redirectTo")) ?? here);
    }
    case "delete": {
      const input = parseForm(deleteChatSchema, form);
      if (!input.success) return input.response;
      if (!(await deleteChat(runtime, userId, chatId))) return failure(404, "This chat no longer exists.");
      return done(form, input.data.redirectTo ?? "/chats");
    }
    case "pin":
    case "unpin": {
      const input = parseForm(placeChatSchema, form);
      if (!input.success) return input.response;
      const outcome = await setChatPinned(runtime, userId, chatId, input.data.intent === "pin");
      if (outcome === "not-found") return failure(404, "This chat no longer exists.");
      if (outcome === "full")
        return failure(409, `At most ${PINNED_CHATS_MAX} chats can be pinned. Unpin one first.`);
      return done(form, input.data.redirectTo ?? here);
    }
    case "archive":
    case "restore": {
      const input = parseForm(placeChatSchema, form);
      if (!input.success) return input.response;
      if (!(await setChatArchived(runtime, userId, chatId, input.data.intent === "archive")))
        return failure(404, "This chat no longer exists.");
      return done(form, input.data.redirectTo ?? here);
    }
    case "stop": {
      const input = parseForm(messageIdSchema, form);
      if (!input.success) return input.response;
      if ((await stopReply(runtime, userId, chatId, input.data.messageId)) === "not-found")
        notFound("This reply does not exist.");
      return done(form, here);
    }
    case "retry": {
      const input = parseForm(versionRequestSchema, form);
      if (!input.success) return input.response;
      const refusal = await admitWrite(runtime, { userId, isNew: false }, { message: true }, null);
      if (refusal) return tooManyRequests(refusal);
      const { messageId, clientId } = input.data;
      return rerunResult(
        form,
        here,
        await regenerateReply(runtime, userId, chatId, messageId, clientId ?? null),
      );
    }
    case "edit": {
      const input = parseForm(
        versionRequestSchema.extend({ content: messageContentSchema(runtime.config.MESSAGE_MAX_CHARS) }),
        form,
      );
      if (!input.success) return input.response;
      const refusal = await admitWrite(runtime, { userId, isNew: false }, { message: true }, null);
      if (refusal) return tooManyRequests(refusal);
      const { messageId, content, clientId } = input.data;
      const outcome = await editMessage(runtime, userId, chatId, messageId, {
        content,
        clientId: clientId ?? null,
      });
      return rerunResult(form, here, outcome);
    }
    case "version": {
      // Show another version of a message (and the continuation last chosen under it).
      const input = parseForm(messageIdSchema, form);
      if (!input.success) return input.response;
      const outcome = await showVersion(runtime, userId, chatId, input.data.messageId);
      if (outcome === "not-found") notFound("This message does not exist.");
      if (outcome === "busy") return failure(409, BUSY);
      return done(form, here);
    }
    case "model": {
      const input = parseForm(
        z.object({ model: storableText().trim().min(1, "Choose a model.").max(200) }),
        form,
      );
      if (!input.success) return input.response;
      const outcome = await setChatModel(runtime, userId, chatId, input.data.model);
      if (outcome === "not-found") notFound("This chat does not exist.");
      if (outcome === "unknown-model")
        return failure(400, `Unknown model “${input.data.model}”.`, { model: "Unknown model." });
      return done(form, here);
    }
    case "share": {
      const outcome = await createSharedLink(runtime, userId, chatId);
      if (outcome.kind === "not-found") notFound("This chat does not exist.");
      if (outcome.kind === "refused") {
        const { message } = outcome.refusal;
        return outcome.status === 429
          ? tooManyRequests(outcome.refusal, "share")
          : failure(409, message, { share: message });
      }
      // The link is shown once, so the answer is the same with or without JavaScript: no redirect.
      return { ok: true, sharedUrl: new URL(outcome.path, request.url).href } satisfies SharedLinkCreated;
    }
    default:
      return failure(400, "Unknown action.");
  }
}

function rerunResult(form: FormData, here: string, outcome: RerunOutcome) {
  if (outcome === "not-found") notFound("This chat does not exist.");
  if (outcome === "busy") return failure(409, BUSY);
  return done(form, here);
}

function localPath(value: FormDataEntryValue | null): string | undefined {
  const parsed = localPathSchema.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : undefined;
}
