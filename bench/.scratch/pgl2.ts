import { createDb } from "../../db/client";
import { seedDatabase, QUICK_PLAN } from "../lib/seed";
import { sql } from "kysely";
let t = performance.now();
const lap = (l: string) => { const n = performance.now(); console.log(l, ((n - t)/1000).toFixed(2)); t = n; };
const h = createDb({ dataDir: "/tmp/pb-try/pgl-" + Date.now() });
await sql`select 1`.execute(h.db); lap("open");
const f = await seedDatabase(h.db, { ...QUICK_PLAN, users: 12 }, "x".repeat(40)); lap("seed");
await h.close(); lap("close");
