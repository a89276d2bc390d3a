import { z } from "zod";
import type { MessageRole, MessageStatus, TitleSource } from "#db/schema";
import { unstorableTextProblem } from "#app/lib/forms";

/**
 * Parley's export format: one JSON document, written by the export and read by the import.
 *
 *   { "format": "parley.chats", "version": 1, "exportedAt": "…",
 *     "projects": [{ "id", "name", "icon", "instructions", "createdAt" }],
 *     "chats": [{ "id", "title", "titleSource", "model", "projectId", "createdAt", "updatedAt",
 *                 "messages": [{ "id", "role", "content", "status", "model", "error",
 *                                "createdAt", "parentId"? }] }] }
 *
 * Messages are in conversation order. `parentId` is optional: a reader of version 1 that meets
 * it keeps the tree; a chat without it is a straight line. `chats` comes last so a reader can
 * stream it chat by chat.
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
  messages: z.array(messageSchema),
});
