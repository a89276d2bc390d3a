import { describe, expect, it } from "vitest";
import { SseDataParser } from "./sse-parser.server";

function parseInPieces(pieces: string[]): string[] {
  const parser = new SseDataParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

describe("SseDataParser", () => {
  const stream =
    ': comment\r\n\r\ndata: {"a":1}\r\n\r\nevent: ping\ndata: two\ndata: lines\n\ndata:[DONE]\n\n';
  const expected = ['{"a":1}', "two\nlines", "[DONE]"];

  it("parses whole streams with LF, CRLF, comments and multi-line data", () => {
    expect(parseInPieces([stream])).toEqual(expected);
  });

  it("gives the same events however the bytes are split, including inside a CRLF", () => {
    for (let size = 1; size <= 7; size++) {
      const pieces = stream.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? [];
      expect(parseInPieces(pieces)).toEqual(expected);
    }
    const crlfSplit = stream.indexOf("\r\n") + 1;
    expect(parseInPieces([stream.slice(0, crlfSplit), stream.slice(crlfSplit)])).toEqual(expected);
  });

  it("treats a lone CR as a line end", () => {
    expect(parseInPieces(["data: x\r\rdata: y\r\r"])).toEqual(["x", "y"]);
  });

  it("flushes an unterminated last event at the end", () => {
    expect(parseInPieces(["data: last"])).toEqual(["last"]);
  });
});
