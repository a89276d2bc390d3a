import { Migrator, type Kysely, type MigrationResultSet } from "kysely";
import { staticMigrationProvider } from "./migrations";

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/**
 * Migrates to the latest version. Kysely's Migrator takes a row lock in its lock table, so two
 * app instances starting at once against one Postgres serialise here: the second finds nothing
 * left to do and both come up.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  return applied(await migrator.migrateToLatest());
}

export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrationProvider });
  return applied(await migrator.migrateDown());
}

function applied({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName;
    throw new MigrationError(`migration ${failed ?? "run"} failed: ${errorMessage(error)}`, { cause: error });
  }
  return (results ?? [])
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
