import { sql } from "kysely";
import type { ProjectRow } from "#db/schema";
import type { Db } from "./db-type";

export interface ProjectFields {
  name: string;
  icon: string;
  instructions: string;
}

export async function createProject(
  db: Db,
  project: ProjectFields & { id: string; userId: string },
): Promise<ProjectRow> {
  return db
    .insertInto("projects")
    .values({
      id: project.id,
      user_id: project.userId,
      name: project.name,
      icon: project.icon,
      instructions: project.instructions,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listProjects(db: Db, userId: string): Promise<ProjectRow[]> {
  return db
    .selectFrom("projects")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function getProject(db: Db, userId: string, projectId: string): Promise<ProjectRow | undefined> {
  return db
    .selectFrom("projects")
    .selectAll()
    .where("id", "=", projectId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function updateProject(
  db: Db,
  userId: string,
  projectId: string,
  fields: Partial<ProjectFields>,
): Promise<ProjectRow | undefined> {
  return db
    .updateTable("projects")
    .set({ ...fields, updated_at: sql`now()` })
    .where("id", "=", projectId)
    .where("user_id", "=", userId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Deletes the project; its chats stay, outside any project. They are released here (rather
 * than by the foreign key's SET NULL) so their versions move and cached copies are dropped.
 * Resolves the released chats' new versions, or undefined when no project of the user's
 * was deleted. Call inside a transaction.
 */
export async function deleteProject(
  db: Db,
  userId: string,
  projectId: string,
): Promise<Array<{ id: string; version: number }> | undefined> {
  const released = await db
    .updateTable("chats")
    .set({ project_id: null, version: sql`version + 1` })
    .where("project_id", "=", projectId)
    .where("user_id", "=", userId)
    .returning(["id", "version"])
    .execute();
  const row = await db
    .deleteFrom("projects")
    .where("id", "=", projectId)
    .where("user_id", "=", userId)
    .returning("id")
    .executeTakeFirst();
  return row ? released : undefined;
}
