import pg from "pg";
import { createSessionCookie } from "../../app/services/session-cookie.server";
const c = new pg.Client("postgres://postgres@127.0.0.1:5432/parley_bench"); await c.connect();
const { rows } = await c.query("select c.id, c.user_id, s.id as sid from chats c join sessions s on s.user_id = c.user_id where c.version = 200 limit 1");
await c.end();
const r = rows[0];
const cookie = (await createSessionCookie("parley-bench-session-secret-not-for-production-0001", false).serialize({ s: r.sid, u: r.user_id })).split(";")[0];
const url = `http://127.0.0.1:3997/chats/${r.id}`;
for (const suffix of ["", ".data"]) {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 30; i++) { const t = performance.now(); const res = await fetch(url + suffix, { headers: { cookie } }); const body = await res.text(); size = body.length; times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(suffix || "doc", "status", "size", size, "median ms", times[15].toFixed(1));
}
