import { describeHotStoreContract } from "./hot-store.contract";
import { createMemoryHotStore } from "./memory-store";
import { createRedisHotStore } from "./redis-store";
import { eventually } from "./testing/eventually";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describeHotStoreContract("memory", () => createMemoryHotStore());

describeHotStoreContract("redis", async () => {
  const store = createRedisHotStore({ url: REDIS_URL, logger: () => {} });
  // The store connects in the background; the contract wants one that answers.
  await eventually(() => store.ping(), { timeoutMs: 5000, what: `Redis at ${REDIS_URL} answering` });
  return store;
});
