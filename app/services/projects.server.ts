import type { ChatRow } from "../../db/schema";
import { getProject } from "../../db/repositories/projects";
import { readyRuntime } from "./runtime.server";

/** The system prompt for a chat's replies: its project's instructions, if any. */
export async function instructionsForChat(userId: string, chat: Pick<ChatRow, "project_id">): Promise<string | null> {
  if (!chat.project_id) return null;
  const runtime = await readyRuntime();
  const project = await getProject(runtime.database.db, userId, chat.project_id);
  return project?.instructions.trim() ? project.instructions : null;
}
