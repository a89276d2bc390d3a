import { BackgroundStatements, PgFrontendParser, RespCommandParser } from "./wire-counter";

function pgMessage(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "ascii");
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}
const cstr = (text: string) => Buffer.from(`${text}\0`);

function startup(): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), cstr("user"), cstr("postgres"), Buffer.from([0])]);
  body.writeInt32BE(196608, 0);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4, 0);
  return Buffer.concat([length, body]);
}

function sslRequest(): Buffer {
  const message = Buffer.alloc(8);
  message.writeInt32BE(8, 0);
  message.writeInt32BE(80877103, 4);
  return message;
}

function extendedQuery(text: string): Buffer {
  return Buffer.concat([
    pgMessage("P", Buffer.concat([cstr(""), cstr(text), Buffer.from([0, 0])])),
    pgMessage("B", Buffer.alloc(10)),
    pgMessage("D", Buffer.from("P\0")),
    pgMessage("E", Buffer.concat([cstr(""), Buffer.alloc(4)])),
    pgMessage("S", Buffer.alloc(0)),
  ]);
}

describe("PgFrontendParser", () => {
  it("counts statements, round trips and transactions across arbitrary chunk boundaries", () => {
    const stream = Buffer.concat([
      sslRequest(),
      startup(),
      pgMessage("Q", cstr("begin")),
      extendedQuery('insert into "messages" ("id") values ($1)'),
      extendedQuery('update "chats" set "version" = version + 1 where "id" = $1'),
      pgMessage("Q", cstr("commit")),
      extendedQuery('select * from "chats" where "id" = $1'),
    ]);
    for (const size of [1, 3, 7, 64, stream.length]) {
      const parser = new PgFrontendParser();
      for (let start = 0; start < stream.length; start += size)
        parser.feed(stream.subarray(start, start + size));
      expect(parser.counts.statements).toBe(5);
      expect(parser.counts.roundTrips).toBe(5);
      expect(parser.counts.transactions).toBe(1);
      expect(parser.counts.byKind).toEqual({ begin: 1, insert: 1, update: 1, commit: 1, select: 1 });
      expect(parser.counts.texts['select * from "chats" where "id" = $1']).toBe(1);
    }
  });
});

describe("background statements", () => {
  it("counts a round trip made only of learned background statements apart from the request's", () => {
    const background = new BackgroundStatements();
    // Learned while idle; whitespace differences do not matter.
    background.learn(['select "seq", "session_id"\n  from "session_revocations" where "seq" > $1']);
    const parser = new PgFrontendParser((text) => background.has(text));
    parser.feed(Buffer.concat([sslRequest(), startup()]));
    parser.feed(extendedQuery('select "seq", "session_id" from "session_revocations" where "seq" > $1'));
    parser.feed(extendedQuery('select * from "sessions" where "id" = $1'));
    expect(parser.counts.statements).toBe(1);
    expect(parser.counts.texts).toEqual({ 'select * from "sessions" where "id" = $1': 1 });
    expect(parser.background.statements).toBe(1);
    expect(parser.background.roundTrips).toBe(1);
    parser.reset();
    expect(parser.counts.statements + parser.background.statements).toBe(0);
  });

  it("keeps a round trip that mixes a request's statement with a background one as the request's", () => {
    const background = new BackgroundStatements();
    background.learn(["select 1"]);
    const parser = new PgFrontendParser((text) => background.has(text));
    parser.feed(Buffer.concat([startup(), pgMessage("Q", cstr("select 1"))]));
    parser.feed(
      Buffer.concat([
        pgMessage("P", Buffer.concat([cstr(""), cstr("select 1"), Buffer.from([0, 0])])),
        pgMessage("E", Buffer.concat([cstr(""), Buffer.alloc(4)])),
        pgMessage("P", Buffer.concat([cstr(""), cstr("update chats set x = 1"), Buffer.from([0, 0])])),
        pgMessage("E", Buffer.concat([cstr(""), Buffer.alloc(4)])),
        pgMessage("S", Buffer.alloc(0)),
      ]),
    );
    expect(parser.background.statements).toBe(1);
    expect(parser.counts.statements).toBe(2);
    expect(parser.counts.roundTrips).toBe(1);
  });
});

describe("RespCommandParser", () => {
  const command = (...parts: string[]) =>
    `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`;

  it("counts commands by name and pipelined bursts as one round trip", () => {
    const parser = new RespCommandParser();
    parser.feed(Buffer.from(command("MGET", "a", "b")));
    parser.feed(Buffer.from(command("MULTI") + command("set", "k", "v\r\nwith crlf") + command("EXEC")));
    const split = command("GET", "long-key");
    parser.feed(Buffer.from(split.slice(0, 9)));
    parser.feed(Buffer.from(split.slice(9)));
    expect(parser.counts.commands).toBe(5);
    expect(parser.counts.roundTrips).toBe(3);
    expect(parser.counts.byCommand).toEqual({ MGET: 1, MULTI: 1, SET: 1, EXEC: 1, GET: 1 });
  });
});
