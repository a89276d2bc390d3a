import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { JSONParser } from "@streamparser/json";
import { formatCount, ImportFileError } from "./import-error.server";

/**
 * Reads a JSON file of any size with bounded memory: a streaming parser (@streamparser/json)
 * hands over only the values at `paths` (e.g. each item of the top-level array), each one
 * dropped from the document as soon as it is handed over. Broken JSON becomes an
 * ImportFileError that says where: "not JSON: unexpected "x" at byte 1,234", or that the file
 * ends mid-value (cut short).
 */

export type JsonPath = Array<string | number>;

export type JsonRoot = "array" | "object";

/** Whether the document is an array or an object, from its first character (after any BOM). */
export async function sniffJsonRoot(filePath: string): Promise<JsonRoot> {
  const handle = await open(filePath, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    const first = text.trimStart()[0];
    if (first === "[") return "array";
    if (first === "{") return "object";
    if (first === undefined) throw new ImportFileError("The file is empty.", 400);
    throw new ImportFileError(
      `Not JSON: the file starts with "${first}" where a JSON list or object should begin.`,
      400,
    );
  } finally {
    await handle.close();
  }
}

/**
 * Streams the file and awaits `handle` for each value at one of `paths` (JSONPath-like:
 * `$.*`, `$.chats.*`, `$.format`), in document order. Throws ImportFileError on broken JSON;
 * whatever `handle` throws propagates as it is.
 */
export async function readJsonValues(
  filePath: string,
  paths: string[],
  handle: (value: unknown, path: JsonPath) => Promise<void> | void,
): Promise<void> {
  const parser = new JSONParser({ paths, keepStack: false });
  const found: Array<[unknown, JsonPath]> = [];
  parser.onValue = ({ value, key, stack }) => {
    const path = stack.slice(1).map((element) => element.key as string | number);
    found.push([value, key === undefined ? path : [...path, key]]);
  };
  // Where the last token began: the parser's own errors do not say.
  let lastTokenAt = 0;
  parser.onToken = ({ offset }) => {
    lastTokenAt = offset;
  };
  let bytes = 0;
  const stream = createReadStream(filePath, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // A UTF-8 BOM is not JSON, but editors on some systems add one.
      const data =
        bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf
          ? chunk.subarray(3)
          : chunk;
      try {
        parser.write(data);
      } catch (error) {
        throw notJson(error, lastTokenAt);
      }
      bytes += chunk.length;
      for (const [value, path] of found.splice(0)) await handle(value, path);
    }
    // The parser ends by itself when the document's value closes; anything short of that is cut.
    if (!parser.isEnded) {
      try {
        parser.end();
      } catch {
        throw cutShort(bytes);
      }
    }
  } finally {
    stream.destroy();
  }
}

function cutShort(bytes: number): ImportFileError {
  return new ImportFileError(
    `Not JSON: the file ends unexpectedly at byte ${formatCount(bytes)}, in the middle of a value. ` +
      "Was it cut short? Download or copy it again.",
    400,
  );
}

/** The parser's own messages name states and chunk positions; people need the byte and the character. */
function notJson(error: unknown, lastTokenAt: number): ImportFileError {
  const message = error instanceof Error ? error.message : String(error);
  const tokenizer = /Unexpected "(.*?)" at chunk position "\d+" \(absolute position "(\d+)"\)/.exec(message);
  if (tokenizer) {
    return new ImportFileError(
      `Not JSON: unexpected ${describeCharacter(tokenizer[1])} at byte ${formatCount(Number(tokenizer[2]))}.`,
      400,
    );
  }
  const parser = /Unexpected (\w+) \((.*)\) in state/.exec(message);
  if (parser) {
    return new ImportFileError(
      `Not JSON: unexpected ${parser[2] === "undefined" ? parser[1].toLowerCase() : parser[2]} ` +
        `at byte ${formatCount(lastTokenAt)}.`,
      400,
    );
  }
  return new ImportFileError(`Not JSON near byte ${formatCount(lastTokenAt)}.`, 400);
}

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f
    ? `control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    : `"${character}"`;
}
