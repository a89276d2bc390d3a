import { sql, type Kysely } from "kysely";

// Frozen in time: this file imports nothing from the app, and is never edited once released.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("projects")
    .addColumn("id", "uuid", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("icon", "text", (col) => col.notNull().defaultTo("📁"))
    .addColumn("instructions", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("created_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", sql`timestamptz(3)`, (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("projects_user_idx")
    .on("projects")
    .columns(["user_id", "created_at"])
    .execute();

  // Deleting a project keeps its chats: they simply leave the project.
  await db.schema
    .alterTable("chats")
    .addColumn("project_id", "uuid", (col) => col.references("projects.id").onDelete("set null"))
    .execute();
  await db.schema
    .createIndex("chats_project_activity_idx")
    .on("chats")
    .columns(["user_id", "project_id", "updated_at desc", "id desc"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("chats").dropColumn("project_id").execute();
  await db.schema.dropTable("projects").execute();
}
