import net from "node:net";
import { sql } from "kysely";
import { createDb } from "#db/client";
import { DatabaseUnavailableError } from "#db/database-unavailable";

/**
 * Postgres shutting down for a restart can end a connection in the same bytes that say it is
 * ready: ReadyForQuery, then FATAL 57P01. That instant falls between pg-pool taking its idle
 * listener off the new client and the guard putting its own on; with no listener, the `error`
 * ended the whole process (seen once in a few restarts under load). A fake server sends exactly
 * those bytes in one write: the query must fail as unavailable, and nothing else may happen.
 */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const authenticationOk = message("R", Buffer.from([0, 0, 0, 0]));
const readyForQuery = message("Z", Buffer.from("I"));
const terminated = message(
  "E",
  Buffer.concat([
    ...["SFATAL", "VFATAL", "C57P01", "Mterminating connection due to administrator command"].map((field) =>
      Buffer.from(`${field}\0`),
    ),
    Buffer.from([0]),
  ]),
);

async function startEndingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => {
      // The start-up message (no TLS asked for): ready, and ended, in one write.
      socket.write(Buffer.concat([authenticationOk, readyForQuery, terminated]));
      setTimeout(() => socket.destroy(), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

it("a connection ended as it becomes ready fails its query as unavailable, and the process goes on", async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", onUncaught);
  const server = await startEndingServer();
  const handle = createDb({
    databaseUrl: `postgres://postgres@127.0.0.1:${server.port}/none`,
    timeouts: { connectMs: 2000, queryMs: 2000, statementMs: 1000, lockMs: 1000, idleInTransactionMs: 1000 },
    warn: () => {},
  });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await sql`select 1`.execute(handle.db).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as DatabaseUnavailableError).reason).toBe("unreachable");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(uncaught).toEqual([]);
  } finally {
    process.off("uncaughtException", onUncaught);
    await handle.close();
    await server.close();
  }
});
