import { uuidv7 } from "#db/ids";
import { DATABASE_KINDS, type TestDatabase } from "#db/testing/test-database";
import { openTestRepositories, type TestRepositories } from "#db/testing/test-repositories";
import { createGuestUser } from "./users";

const fields = (name: string) => ({ name, icon: "📁", instructions: `Be ${name}.` });

describe.each(DATABASE_KINDS)("ProjectRepository on %s", (kind) => {
  let repositories: TestRepositories;
  let database: TestDatabase;
  beforeAll(async () => {
    repositories = await openTestRepositories(kind);
    ({ database } = repositories);
  });
  afterAll(() => repositories?.close());

  const newUser = async () => (await createGuestUser(database.db, uuidv7())).id;
  const names = async (userId: string) =>
    (await repositories.projects.list(userId)).map((project) => project.name);

  it("lists from the hot store once read, and shows every change on the next read", async () => {
    const { projects } = repositories;
    const userId = await newUser();
    const first = await projects.create({ id: uuidv7(), userId, ...fields("terse") });
    expect(await names(userId)).toEqual(["terse"]);
    const queries = database.stats.queries;
    expect(await names(userId)).toEqual(["terse"]);
    expect(database.stats.queries).toBe(queries);

    await projects.create({ id: uuidv7(), userId, ...fields("kind") });
    expect(await names(userId)).toEqual(["terse", "kind"]);
    expect((await projects.update(userId, first.id, { name: "brief" }))?.name).toBe("brief");
    expect(await names(userId)).toEqual(["brief", "kind"]);
    expect(await projects.delete(userId, first.id)).toBe(true);
    expect(await names(userId)).toEqual(["kind"]);
  });

  it("moves the chat list's version with every change, so other tabs see it", async () => {
    const userId = await newUser();
    const before = (await repositories.chats.versions(userId)).list;
    await repositories.projects.create({ id: uuidv7(), userId, ...fields("noticed") });
    expect((await repositories.chats.versions(userId)).list).toBeGreaterThan(before);
  });

  it("releases a deleted project's chats, and their cached copies show it", async () => {
    const { chats, projects } = repositories;
    const userId = await newUser();
    const project = await projects.create({ id: uuidv7(), userId, ...fields("doomed") });
    const chatId = uuidv7();
    await chats.createChat(
      { id: chatId, userId, title: "inside", titleSource: "derived", projectId: project.id },
      [],
    );
    expect((await chats.getChat(userId, chatId))?.project_id).toBe(project.id);
    const chatVersion = (await chats.versions(userId, chatId)).chat ?? 0;

    expect(await projects.delete(userId, project.id)).toBe(true);
    expect((await chats.versions(userId, chatId)).chat).toBeGreaterThan(chatVersion);
    expect((await chats.getChat(userId, chatId))?.project_id).toBeNull();
    expect((await chats.listChats(userId, { limit: 10 })).chats[0].project_id).toBeNull();
  });

  it("keeps a user's projects out of a stranger's reach", async () => {
    const { projects } = repositories;
    const owner = await newUser();
    const stranger = await newUser();
    const project = await projects.create({ id: uuidv7(), userId: owner, ...fields("private") });
    expect(await projects.list(stranger)).toEqual([]);
    expect(await projects.get(stranger, project.id)).toBeUndefined();
    expect(await projects.update(stranger, project.id, { name: "mine" })).toBeUndefined();
    expect(await projects.delete(stranger, project.id)).toBe(false);
    expect(await names(owner)).toEqual(["private"]);
  });
});
