import { z } from "zod";
import { storableText } from "#app/lib/forms";
import { uuidv7 } from "#db/ids";
import type { ChatRow } from "#db/schema";
import type { ProjectView } from "#app/lib/view-types";
import type { Runtime } from "./runtime.server";
import { toProjectView } from "./views.server";

/**
 * Projects group chats and give their replies standing instructions (the system prompt).
 * They are shown beside the chat list, so every change bumps the list version: other tabs
 * pick it up through the sync check like any chat change.
 */
export const projectFieldsSchema = z.object({
  name: storableText({ error: "Give the project a name." })
    .trim()
    .min(1, "Give the project a name.")
    .max(80, "Names can be at most 80 characters."),
  icon: storableText()
    .trim()
    .max(16, "Use a single emoji.")
    .transform((value) => value || "📁"),
  instructions: storableText().trim().max(8_000, "Instructions can be at most 8,000 characters.").default(""),
});
export type ProjectFields = z.infer<typeof projectFieldsSchema>;

export async function listProjects(
  runtime: Runtime,
  userId: string | null,
  listVersion?: number,
): Promise<ProjectView[]> {
  if (!userId) return [];
  const rows = await runtime.projects.list(userId, listVersion);
  return rows.map(toProjectView);
}

export async function getProject(
  runtime: Runtime,
  userId: string | null,
  projectId: string,
): Promise<ProjectView | null> {
  if (!userId) return null;
  const row = await runtime.projects.get(userId, projectId);
  return row ? toProjectView(row) : null;
}

export async function createProject(
  runtime: Runtime,
  userId: string,
  fields: ProjectFields,
): Promise<ProjectView> {
  return toProjectView(await runtime.projects.create({ id: uuidv7(), userId, ...fields }));
}

export async function updateProject(
  runtime: Runtime,
  userId: string,
  projectId: string,
  fields: ProjectFields,
): Promise<boolean> {
  return (await runtime.projects.update(userId, projectId, fields)) !== undefined;
}

/** Deletes the project; its chats stay and leave the project. */
export async function deleteProject(runtime: Runtime, userId: string, projectId: string): Promise<boolean> {
  return runtime.projects.delete(userId, projectId);
}

/** The system prompt for a chat's replies: its project's instructions, if any. */
export async function instructionsForChat(
  runtime: Runtime,
  userId: string,
  chat: Pick<ChatRow, "project_id">,
): Promise<string | null> {
  if (!chat.project_id) return null;
  const project = await runtime.projects.get(userId, chat.project_id);
  return project?.instructions.trim() ? project.instructions : null;
}
