import { z } from "zod";
import type { MessageRole, MessageStatus, TitleSource } from "#db/schema";
import { unstorableTextProblem } from "#app/lib/forms";

/**
 * Parley's export format: one JSON document, written by the export and read by the import.
 *
 *   { "format": "parley.chats", "version": 1, "exportedAt": "…",
 *     "projects": [{ "id", "name", "icon", "instructions", "createdAt" }],
 *     "chats": [{ "id", "title", "titleSource", "model", "projectId", "createdAt", "updatedAt",
 *                 "activeLeafId"?,
 *                 "messages": [{ "id", "role", "content", "status", "model", "error",
 *                                "createdAt", "parentId"? }] }] }
 *
 * A chat's messages are a tree (db/repositories/branches.ts), oldest first: `parentId` names
 * the message one follows (null: a first message; its siblings are versions of it), and
 * `activeLeafId` the end of the branch the chat shows. Both are optional: a message without
 * `parentId` follows the one before it in the file, so a file without them is one straight
 * line (as files written before branches were), shown up to its last message. `chats` comes
 * last so a reader can stream it chat by chat.
 */
export const PARLEY_FORMAT = "parley.chats";
export const PARLEY_FORMAT_VERSION = 1;

export interface ExportedMessage {
  id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  model: string | null;
  error: string | null;
  createdAt: string;
  parentId?: string | null;
}

export interface ExportedChat {
  id: string;
  title: string;
  titleSource: TitleSource;
  model: string | null;
  projectId: string | null;
  createdAt: string;
  updatedAt: string;
  activeLeafId?: string | null;
  messages: ExportedMessage[];
}

export interface ExportedProject {
  id: string;
  name: string;
  icon: string;
  instructions: string;
  createdAt: string;
}

const storable = z.string().superRefine((value, context) => {
  const problem = unstorableTextProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

const sourceId = z.string().min(1, "is empty").max(200, "is longer than 200 characters");
const timestamp = z.iso.datetime({ offset: true, error: "is not a date and time (ISO 8601)" });

const messageSchema = z.object({
  id: sourceId,
  role: z.enum(["user", "assistant", "system"]),
  content: storable,
  status: z.enum(["complete", "pending", "error", "stopped", "interrupted"]).default("complete"),
  model: storable.nullish(),
  error: storable.nullish(),
  createdAt: timestamp,
  parentId: sourceId.nullish(),
});

/** One item of `chats`, as the import accepts it (unknown fields are ignored). */
export const exportedChatSchema = z.object({
  id: sourceId,
  title: storable,
  titleSource: z.enum(["derived", "user", "model"]).default("user"),
  model: storable.nullish(),
  createdAt: timestamp,
  updatedAt: timestamp.optional(),
  activeLeafId: sourceId.nullish(),
  messages: z.array(messageSchema),
});
