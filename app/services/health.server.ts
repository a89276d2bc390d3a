import { pingDb } from "../../db/client";
import { getRuntime } from "./runtime.server";

export interface Health {
  db: "ok" | "down";
  cache: "ok" | "down" | "embedded";
}

/** Postgres down means Parley cannot work; the hot store down only makes it slower. */
export async function checkHealth(): Promise<{ status: 200 | 503; body: Health }> {
  const runtime = getRuntime();
  const dbReady = await Promise.race([
    runtime.ready.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
  ]);
  const [dbUp, cacheUp] = await Promise.all([
    dbReady ? pingDb(runtime.database.db) : Promise.resolve(false),
    runtime.store.kind === "memory" ? Promise.resolve(true) : runtime.store.ping(),
  ]);
  const body: Health = {
    db: dbUp ? "ok" : "down",
    cache: runtime.store.kind === "memory" ? "embedded" : cacheUp ? "ok" : "down",
  };
  return { status: dbUp ? 200 : 503, body };
}
