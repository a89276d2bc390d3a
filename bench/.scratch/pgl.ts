import { createDb } from "/work/main/db/client";
import { migrateToLatest } from "/work/main/db/migrate";
import { sql } from "kysely";
let t = performance.now();
const lap = (l: string) => { const n = performance.now(); console.log(l, ((n - t)/1000).toFixed(2)); t = n; };
const h = createDb({ dataDir: "/tmp/pb-try/pgl-" + Date.now() });
await sql`select 1`.execute(h.db); lap("open");
await migrateToLatest(h.db); lap("migrate");
await h.close(); lap("close");
