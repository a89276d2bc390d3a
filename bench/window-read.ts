/**
 * A chat's newest 50 messages read through the repository: from the Redis hot cache and from
 * Postgres (the cache down), side by side in one run. Prints the ratio; asserts nothing.
 *   node --import tsx bench/window-read.ts
 */
import { createRedisHotStore } from "#db/hot-store/redis-store";
import { eventually } from "#db/hot-store/testing/eventually";
import { uuidv7 } from "#db/ids";
import type { ChatRepository } from "#db/repositories/chat-repository";
import { createRepositories } from "#db/repositories/create-repositories";
import { createGuestUser } from "#db/repositories/users";
import { openTestDatabase } from "#db/testing/test-database";

const ROUNDS = 2_000;
const database = await openTestDatabase("postgres");
const redis = createRedisHotStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
const down = createRedisHotStore({ url: "redis://127.0.0.1:1", logger: () => {} });
await eventually(() => redis.ping(), { what: "redis" });
const withRedis = createRepositories({ db: database.db, store: redis, ttlSeconds: 300 });
const withRedisDown = createRepositories({ db: database.db, store: down, ttlSeconds: 300 });
const cached = withRedis.chats;
const uncached = withRedisDown.chats;

const userId = (await createGuestUser(database.db, uuidv7())).id;
const chatId = uuidv7();
const text = "A realistic reply with **Markdown**, a list:\n\n- one\n- two\n\nand some more words. ".repeat(
  6,
);
await cached.createChat(
  { id: chatId, userId, title: "Window", titleSource: "derived" },
  Array.from({ length: 200 }, (_, index) => ({
    id: uuidv7(),
    chatId: "",
    role: index % 2 ? ("assistant" as const) : ("user" as const),
    content: text,
    status: "complete" as const,
    clientId: index % 2 ? null : uuidv7(),
  })),
);

async function time(repository: ChatRepository): Promise<number> {
  await repository.chatWindow(userId, chatId, 50);
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) await repository.chatWindow(userId, chatId, 50);
  return (performance.now() - started) / ROUNDS;
}

const queriesBefore = database.stats.queries;
const fromRedis = await time(cached);
const redisQueries = database.stats.queries - queriesBefore;
const fromPostgres = await time(uncached);
console.log(
  JSON.stringify({
    messagesInWindow: 50,
    rounds: ROUNDS,
    redisMsPerRead: Number(fromRedis.toFixed(3)),
    postgresMsPerRead: Number(fromPostgres.toFixed(3)),
    postgresOverRedis: Number((fromPostgres / fromRedis).toFixed(2)),
    postgresQueriesDuringCachedReads: redisQueries,
  }),
);
withRedis.dispose();
withRedisDown.dispose();
await Promise.all([redis.close(), down.close()]);
await database.drop();
