import type { Kysely, Transaction } from "kysely";
import { cacheKeys } from "#db/cache/keys";
import { reviveProjects } from "#db/cache/revive-dates";
import type { VersionedCache } from "#db/cache/versioned-cache";
import type { Database, ProjectRow } from "#db/schema";
import * as projects from "./projects";
import { withListBump } from "./transactions";
import { listVersionOf, publishUserVersions } from "./user-versions";

/** The name the projects are cached under beside the chat list. */
export const PROJECTS_LIST_EXTRA = "projects";

/**
 * A user's projects. They are shown beside the chat list, so the list is cached under the
 * user's list version and every change bumps it: other tabs pick it up through the sync check
 * like any chat change. One project is read from Postgres (a project page, a reply's
 * instructions: rare next to the sidebar).
 */
export class ProjectRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: VersionedCache,
  ) {}

  /** The user's projects, oldest first. A caller that read the list version already passes it. */
  async list(userId: string, listVersion?: number): Promise<ProjectRow[]> {
    const list = await listVersionOf(this.cache, this.db, userId, listVersion);
    return this.cache.readThrough(
      cacheKeys.listExtra(userId, list, PROJECTS_LIST_EXTRA),
      () => projects.listProjects(this.db, userId),
      reviveProjects,
    );
  }

  async get(userId: string, projectId: string): Promise<ProjectRow | undefined> {
    return projects.getProject(this.db, userId, projectId);
  }

  async create(project: projects.ProjectFields & { id: string; userId: string }): Promise<ProjectRow> {
    const row = await this.changeList(project.userId, (trx) => projects.createProject(trx, project));
    if (!row) throw new Error("project was not created");
    return row;
  }

  async update(
    userId: string,
    projectId: string,
    fields: Partial<projects.ProjectFields>,
  ): Promise<ProjectRow | undefined> {
    return this.changeList(userId, (trx) => projects.updateProject(trx, userId, projectId, fields));
  }

  /** Deletes the project; its chats stay, outside any project, with new versions. */
  async delete(userId: string, projectId: string): Promise<boolean> {
    const result = await withListBump(this.db, userId, (trx) =>
      projects.deleteProject(trx, userId, projectId),
    );
    if (!result) return false;
    const released = result.value.map((chat): [string, number] => [chat.id, chat.version]);
    await publishUserVersions(this.cache, userId, result.list, released);
    return true;
  }

  private async changeList<T>(
    userId: string,
    change: (trx: Transaction<Database>) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const result = await withListBump(this.db, userId, change);
    if (!result) return undefined;
    await publishUserVersions(this.cache, userId, result.list, []);
    return result.value;
  }
}
