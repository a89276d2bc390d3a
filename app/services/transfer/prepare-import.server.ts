import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import type { ImportedChat } from "#db/repositories/chat-import";
import type { ImportSource } from "#db/schema";
import { chatFromConversation } from "./chatgpt-conversation.server";
import { formatCount, ImportFileError } from "./import-error.server";
import { readJsonValues, sniffJsonRoot, type JsonPath } from "./json-values.server";
import { chatFromParleyExport } from "./parley-chat.server";
import { PARLEY_FORMAT, PARLEY_FORMAT_VERSION } from "./parley-format.server";

/**
 * The import's first pass: reads the uploaded file to its end, one chat at a time, checks
 * every chat, and writes each as one line of JSON to `chatsPath`. Nothing reaches the
 * database until the whole file has passed, so a truncated or broken file is refused with
 * nothing left behind; the second pass (import-runner.server.ts) reads the lines back.
 */
export interface PreparedImport {
  source: ImportSource;
  /** Chats to import (lines in `chatsPath`). */
  totalChats: number;
  /** ChatGPT conversations with nothing Parley shows (only system or tool messages): left out. */
  emptyChats: number;
}

export async function prepareImport(uploadPath: string, chatsPath: string): Promise<PreparedImport> {
  const root = await sniffJsonRoot(uploadPath);
  const out = createWriteStream(chatsPath, { flags: "wx", mode: 0o600 });
  try {
    const prepared =
      root === "array" ? await readChatGpt(uploadPath, out) : await readParley(uploadPath, out);
    out.end();
    await once(out, "finish");
    if (prepared.totalChats === 0) {
      throw new ImportFileError(
        prepared.emptyChats > 0
          ? `The file's ${formatCount(prepared.emptyChats)} conversations hold no text to import.`
          : "The file holds no chats.",
      );
    }
    return prepared;
  } finally {
    out.destroy();
  }
}

async function readChatGpt(uploadPath: string, out: WriteStream): Promise<PreparedImport> {
  let totalChats = 0;
  let emptyChats = 0;
  await readJsonValues(uploadPath, ["$.*"], async (value, path) => {
    const chat = chatFromConversation(value, itemNumber(path, 0));
    if (chat.messages.length === 0) emptyChats += 1;
    else {
      totalChats += 1;
      await writeLine(out, chat);
    }
  });
  return { source: "chatgpt", totalChats, emptyChats };
}

async function readParley(uploadPath: string, out: WriteStream): Promise<PreparedImport> {
  let format: unknown;
  let version: unknown;
  let totalChats = 0;
  // "$.*.*" rather than "$.chats.*": every top-level list is handed over item by item and
  // dropped, so an object that is not an export (or its projects) never builds up in memory.
  await readJsonValues(uploadPath, ["$.format", "$.version", "$.*.*"], async (value, path) => {
    if (path[0] === "format") format = value;
    else if (path[0] === "version") version = value;
    else if (path[0] === "chats" && path.length === 2) {
      totalChats += 1;
      await writeLine(out, chatFromParleyExport(value, itemNumber(path, 1)));
    }
  });
  if (format !== PARLEY_FORMAT) {
    throw new ImportFileError(
      "Not a file Parley can import: expected ChatGPT's conversations.json (a list of conversations) " +
        `or a Parley export (an object with "format": "${PARLEY_FORMAT}").`,
      422,
    );
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new ImportFileError(
      `Parley export: "version" must be a whole number (this Parley writes ${PARLEY_FORMAT_VERSION}).`,
    );
  }
  if (version > PARLEY_FORMAT_VERSION) {
    throw new ImportFileError(
      `Parley export: this file is version ${version}, from a newer Parley; this one reads version ${PARLEY_FORMAT_VERSION}.`,
    );
  }
  return { source: "parley", totalChats, emptyChats: 0 };
}

/** Items count from 1 in messages, as people count. */
function itemNumber(path: JsonPath, index: number): number {
  return Number(path[index]) + 1;
}

async function writeLine(out: WriteStream, chat: ImportedChat): Promise<void> {
  if (!out.write(`${JSON.stringify(chat)}\n`)) await once(out, "drain");
}

/** A line written by the first pass, back as a chat (dates were written as ISO strings). */
export function parseChatLine(line: string): ImportedChat {
  const chat = JSON.parse(line) as ImportedChat & { createdAt: string; updatedAt: string };
  return {
    ...chat,
    createdAt: new Date(chat.createdAt),
    updatedAt: new Date(chat.updatedAt),
    messages: chat.messages.map((message) => ({ ...message, createdAt: new Date(message.createdAt) })),
  };
}
