import { z } from "zod";
import type { ImportedChat, ImportedMessage } from "#db/repositories/chat-import";
import { unstorableTextProblem } from "#app/lib/forms";
import { deriveTitle } from "#app/lib/title";
import { TITLE_INPUT_MAX_CHARS } from "#app/lib/message-rules";
import { ImportFileError } from "./import-error.server";

/**
 * One conversation of ChatGPT's `conversations.json` as a Parley chat. A conversation is a
 * tree (`mapping`: node id → { message, parent, children }): every edit or regeneration
 * starts a branch, and `current_node` is the leaf that was on screen. The chat is the path
 * from that leaf back to the root, oldest first, keeping what the person saw: user and
 * assistant text. System and tool messages, messages addressed to a tool, hidden ones
 * (`metadata.is_visually_hidden_from_conversation`), non-text content (code, images, browsing
 * results) and empty ones are left out.
 */

const node = z.object({
  message: z
    .object({
      id: z.string().optional(),
      author: z.object({ role: z.string() }),
      content: z.object({ content_type: z.string(), parts: z.array(z.unknown()).optional() }).optional(),
      create_time: z.number().nullish(),
      metadata: z.record(z.string(), z.unknown()).nullish(),
      recipient: z.string().nullish(),
    })
    .nullish(),
  parent: z.string().nullish(),
});

const conversation = z.object({
  id: z.string().optional(),
  conversation_id: z.string().optional(),
  title: z.string().nullish(),
  create_time: z.number().nullish(),
  update_time: z.number().nullish(),
  mapping: z.record(z.string(), z.unknown(), { error: "has no mapping" }),
  current_node: z.string({ error: "has no current_node" }),
});

const FILE = "conversations.json";

/** `item` counts from 1, as people count. Throws ImportFileError naming the item and what is wrong. */
export function chatFromConversation(value: unknown, item: number): ImportedChat {
  const where = `${FILE}: item ${item}`;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ImportFileError(`${where} is not a conversation (an object with a mapping).`);
  const parsed = conversation.safeParse(value);
  if (!parsed.success) throw new ImportFileError(`${where}${issueText(parsed.error)}`);
  const source = parsed.data;
  const fallbackTime = secondsToDate(source.create_time) ?? new Date();
  const messages: ImportedMessage[] = [];
  let previous = fallbackTime;
  for (const [nodeId, raw] of pathToCurrentNode(source.mapping, source.current_node, where)) {
    const checked = node.safeParse(raw);
    if (!checked.success) throw new ImportFileError(`${where}: node "${nodeId}"${issueText(checked.error)}`);
    const text = visibleText(checked.data.message);
    if (text === null) continue;
    const problem = unstorableTextProblem(text.content);
    if (problem) throw new ImportFileError(`${where}: node "${nodeId}": ${problem}`);
    // Parley orders a chat by time: a node without a time (or out of order) keeps its place.
    const stamped = secondsToDate(checked.data.message?.create_time);
    const createdAt = stamped && stamped >= previous ? stamped : previous;
    previous = createdAt;
    messages.push({
      clientId: checked.data.message?.id ?? nodeId,
      role: text.role,
      content: text.content,
      status: "complete",
      model: text.model,
      error: null,
      createdAt,
      // The path on screen is one branch: each message follows the one before it.
      parentClientId: messages[messages.length - 1]?.clientId ?? null,
    });
  }
  const id = source.id ?? source.conversation_id ?? `node:${source.current_node}`;
  const firstUser = messages.find((message) => message.role === "user");
  const title = cleanTitle(source.title) ?? deriveTitle(firstUser?.content ?? "Imported chat");
  return {
    clientId: `chatgpt:${id}`.slice(0, 300),
    ownId: null,
    title,
    titleSource: "user",
    model: null,
    createdAt: fallbackTime,
    updatedAt: secondsToDate(source.update_time) ?? previous,
    messages,
    activeLeafClientId: null,
  };
}

/** The nodes from the root to `current`, following parent links back and then reversing. */
function pathToCurrentNode(
  mapping: Record<string, unknown>,
  current: string,
  where: string,
): Array<[string, unknown]> {
  const path: Array<[string, unknown]> = [];
  const seen = new Set<string>();
  let id: string | null | undefined = current;
  while (id !== null && id !== undefined) {
    if (seen.has(id)) throw new ImportFileError(`${where}: the mapping loops back to node "${id}".`);
    seen.add(id);
    if (!Object.hasOwn(mapping, id)) {
      throw new ImportFileError(
        path.length === 0
          ? `${where}: current_node "${id}" is not in the mapping.`
          : `${where}: node "${path[path.length - 1][0]}" has parent "${id}", which is not in the mapping.`,
      );
    }
    const raw: unknown = mapping[id];
    path.push([id, raw]);
    const parent = (raw as { parent?: unknown } | null)?.parent;
    id = typeof parent === "string" ? parent : null;
  }
  return path.reverse();
}

function visibleText(
  message: z.infer<typeof node>["message"],
): { role: "user" | "assistant"; content: string; model: string | null } | null {
  if (!message) return null;
  const role = message.author.role;
  if (role !== "user" && role !== "assistant") return null;
  if (message.metadata?.is_visually_hidden_from_conversation === true) return null;
  if (message.recipient && message.recipient !== "all") return null;
  if (message.content?.content_type !== "text") return null;
  const parts = (message.content.parts ?? []).filter((part): part is string => typeof part === "string");
  const content = parts.join("\n").trim();
  if (content === "") return null;
  const slug = message.metadata?.model_slug;
  return {
    role,
    content,
    model: role === "assistant" && typeof slug === "string" ? slug.slice(0, 200) : null,
  };
}

function secondsToDate(seconds: number | null | undefined): Date | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return null;
  const date = new Date(Math.round(seconds * 1000));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A title as the sidebar shows one: one line, the rename form's length, storable; null when empty. */
export function cleanTitle(title: string | null | undefined): string | null {
  const line = (title ?? "").replace(/\s+/g, " ").trim();
  if (line === "" || unstorableTextProblem(line)) return null;
  return line.length <= TITLE_INPUT_MAX_CHARS ? line : `${line.slice(0, TITLE_INPUT_MAX_CHARS - 1)}…`;
}

/** The first problem zod found, to follow what it is about: " has no mapping", ": field "title": …". */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return " is not as expected.";
  if (issue.message.startsWith("has ")) return ` ${issue.message}.`;
  if (issue.path.length === 0) return `: ${issue.message}.`;
  return `: field "${issue.path.join(".")}": ${issue.message}.`;
}
