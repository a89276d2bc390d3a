import net from "node:net";

/**
 * Counting what Parley sends to Postgres and Redis, from outside the app, at the wire.
 *
 * pg_stat_statements is not loaded on this machine's Postgres (shared_preload_libraries is
 * empty, and the shared server must not be restarted), and pg_stat_database is flushed
 * lazily by each backend (up to 10 s late), so short windows cannot be read from it. Instead
 * the bench puts a transparent TCP proxy between the app and each server and parses the
 * client's side of the protocol:
 *
 * Postgres (frontend protocol v3): every statement is either a simple Query ('Q', used by
 *   node-postgres for parameterless SQL such as BEGIN/COMMIT) or an extended-protocol Execute
 *   ('E'); a round trip ends with Sync ('S') or a simple Query.
 * Redis (RESP): every command is an array of bulk strings; a burst of commands written
 *   together (node-redis pipelines commands issued in the same tick) is one round trip.
 *
 * The proxy adds latency, so it is only used in the accounting phase, never for throughput.
 */

export interface PgCounts {
  statements: number;
  roundTrips: number;
  /** BEGIN … COMMIT/ROLLBACK blocks. */
  transactions: number;
  byKind: Record<string, number>;
  /** Statement texts (first 90 characters, whitespace collapsed) and how often each ran. */
  texts: Record<string, number>;
}

export function emptyPgCounts(): PgCounts {
  return { statements: 0, roundTrips: 0, transactions: 0, byKind: {}, texts: {} };
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

function statementKind(text: string): string {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? "other";
  return ["select", "insert", "update", "delete", "begin", "commit", "rollback", "with"].includes(word)
    ? word
    : "other";
}

/** The key a statement is counted under: its text, whitespace collapsed, first 90 characters. */
export function statementKey(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 90);
}

/**
 * Statements the app runs on its own timers (the revocation feed's read every 500 ms, the
 * reply sweeper, the cleanup job), learned by watching the wire while no request is in
 * flight. A round trip made only of such statements is counted apart from the requests'.
 */
export class BackgroundStatements {
  private readonly keys = new Set<string>();

  learn(texts: Iterable<string>): void {
    for (const text of texts) this.keys.add(statementKey(text));
  }

  has(text: string): boolean {
    return this.keys.has(statementKey(text));
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Incremental parser of a Postgres client→server byte stream. */
export class PgFrontendParser {
  counts: PgCounts = emptyPgCounts();
  /** Round trips made only of background statements, counted apart from `counts`. */
  background: PgCounts = emptyPgCounts();
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private lastParsed = "";
  /** The statements of the round trip under way (counted when it ends). */
  private trip: string[] = [];

  constructor(private readonly isBackground: (text: string) => boolean = () => false) {}

  reset(): void {
    this.counts = emptyPgCounts();
    this.background = emptyPgCounts();
  }

  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        this.buffer = this.buffer.subarray(length);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.started = true;
        continue;
      }
      if (this.buffer.length < 5) return;
      const type = String.fromCharCode(this.buffer[0]);
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      const payload = this.buffer.subarray(5, 1 + length);
      this.buffer = this.buffer.subarray(1 + length);
      this.message(type, payload);
    }
  }

  private message(type: string, payload: Buffer): void {
    if (type === "Q") {
      this.trip.push(cString(payload, 0).value);
      this.endTrip();
    } else if (type === "P") {
      const name = cString(payload, 0);
      this.lastParsed = cString(payload, name.next).value;
    } else if (type === "E") {
      this.trip.push(this.lastParsed);
    } else if (type === "S") {
      this.endTrip();
    }
  }

  private endTrip(): void {
    const trip = this.trip;
    this.trip = [];
    const counts =
      trip.length > 0 && trip.every((text) => this.isBackground(text)) ? this.background : this.counts;
    counts.roundTrips += 1;
    for (const text of trip) {
      counts.statements += 1;
      const kind = statementKind(text);
      counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
      if (kind === "begin") counts.transactions += 1;
      const key = statementKey(text);
      counts.texts[key] = (counts.texts[key] ?? 0) + 1;
    }
  }
}

function cString(buffer: Buffer, start: number): { value: string; next: number } {
  const end = buffer.indexOf(0, start);
  const stop = end === -1 ? buffer.length : end;
  return { value: buffer.toString("utf8", start, stop), next: stop + 1 };
}

export interface RedisCounts {
  commands: number;
  roundTrips: number;
  byCommand: Record<string, number>;
}

export function emptyRedisCounts(): RedisCounts {
  return { commands: 0, roundTrips: 0, byCommand: {} };
}

/** Incremental parser of a RESP client→server stream (arrays of bulk strings). */
export class RespCommandParser {
  counts: RedisCounts = emptyRedisCounts();
  /** The app sends Redis nothing on its own timers: nothing is counted apart. */
  background: RedisCounts = emptyRedisCounts();

  reset(): void {
    this.counts = emptyRedisCounts();
  }

  private buffer: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    // A chunk that starts while no command is half-read starts a new round trip.
    if (this.buffer.length === 0) this.counts.roundTrips += 1;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = this.parseCommand();
      if (!parsed) return;
      this.counts.commands += 1;
      this.counts.byCommand[parsed] = (this.counts.byCommand[parsed] ?? 0) + 1;
    }
  }

  /** Consumes one complete command and returns its name, or null if incomplete. */
  private parseCommand(): string | null {
    const buffer = this.buffer;
    if (buffer.length === 0) return null;
    if (buffer[0] !== 0x2a /* '*' */) {
      // Inline command: one line.
      const end = buffer.indexOf("\r\n");
      if (end === -1) return null;
      const name = buffer.toString("utf8", 0, end).split(" ")[0].toUpperCase();
      this.buffer = buffer.subarray(end + 2);
      return name;
    }
    let position = buffer.indexOf("\r\n");
    if (position === -1) return null;
    const items = Number(buffer.toString("ascii", 1, position));
    position += 2;
    let name = "";
    for (let index = 0; index < items; index += 1) {
      const lineEnd = buffer.indexOf("\r\n", position);
      if (lineEnd === -1) return null;
      const length = Number(buffer.toString("ascii", position + 1, lineEnd));
      const dataStart = lineEnd + 2;
      if (buffer.length < dataStart + length + 2) return null;
      if (index === 0) name = buffer.toString("utf8", dataStart, dataStart + length).toUpperCase();
      position = dataStart + length + 2;
    }
    this.buffer = buffer.subarray(position);
    return name;
  }
}

export interface CountingProxy<C> {
  port: number;
  /** Counts since the last reset (all connections together), background round trips left out. */
  counts(): C;
  /** The background round trips since the last reset (see BackgroundStatements). */
  background(): C;
  reset(): void;
  /** Milliseconds since the proxy last saw client bytes. */
  idleMs(): number;
  close(): Promise<void>;
}

interface CountingParser<C> {
  counts: C;
  background: C;
  feed(chunk: Buffer): void;
  reset(): void;
}

function startProxy<C>(
  target: { host: string; port: number },
  makeParser: () => CountingParser<C>,
  merge: (parsers: Array<{ counts: C }>) => C,
): Promise<CountingProxy<C>> {
  // Parsers whose counts belong to the current window (live ones and ones closed since the reset).
  let counted: CountingParser<C>[] = [];
  const live = new Set<CountingParser<C>>();
  let lastActivity = performance.now();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    client.setNoDelay(true);
    const upstream = net.connect(target.port, target.host);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const parser = makeParser();
    live.add(parser);
    counted.push(parser);
    client.on("data", (chunk: Buffer) => {
      lastActivity = performance.now();
      parser.feed(chunk);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      live.delete(parser);
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        counts: () => merge(counted),
        background: () => merge(counted.map((parser) => ({ counts: parser.background }))),
        reset: () => {
          // Parsing state (a half-read message) is kept; only the counts start again.
          for (const parser of live) parser.reset();
          counted = [...live];
        },
        idleMs: () => performance.now() - lastActivity,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export function mergePgCounts(list: Array<{ counts: PgCounts }>): PgCounts {
  const total = emptyPgCounts();
  for (const { counts } of list) {
    total.statements += counts.statements;
    total.roundTrips += counts.roundTrips;
    total.transactions += counts.transactions;
    for (const [kind, count] of Object.entries(counts.byKind))
      total.byKind[kind] = (total.byKind[kind] ?? 0) + count;
    for (const [text, count] of Object.entries(counts.texts))
      total.texts[text] = (total.texts[text] ?? 0) + count;
  }
  return total;
}

export function mergeRedisCounts(list: Array<{ counts: RedisCounts }>): RedisCounts {
  const total: RedisCounts = { commands: 0, roundTrips: 0, byCommand: {} };
  for (const { counts } of list) {
    total.commands += counts.commands;
    total.roundTrips += counts.roundTrips;
    for (const [name, count] of Object.entries(counts.byCommand))
      total.byCommand[name] = (total.byCommand[name] ?? 0) + count;
  }
  return total;
}

export function startPgProxy(
  target: { host: string; port: number },
  background?: BackgroundStatements,
): Promise<CountingProxy<PgCounts>> {
  return startProxy(
    target,
    () => new PgFrontendParser(background ? (text) => background.has(text) : undefined),
    mergePgCounts,
  );
}

export function startRedisProxy(target: { host: string; port: number }): Promise<CountingProxy<RedisCounts>> {
  return startProxy(target, () => new RespCommandParser(), mergeRedisCounts);
}

/** Waits until neither proxy has seen client traffic for `quietMs` (bounded by `maxMs`). */
export async function waitForWireQuiet(
  proxies: Array<{ idleMs(): number }>,
  quietMs = 400,
  maxMs = 30_000,
): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    if (proxies.every((proxy) => proxy.idleMs() >= quietMs)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
