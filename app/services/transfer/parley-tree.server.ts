import type { ImportedMessage } from "#db/repositories/chat-import";
import { ImportFileError } from "./import-error.server";

/**
 * The tree of a Parley export's chat, checked and put in an order the database can write:
 * parents before their children. A message without `parentId` follows the one before it in
 * the file (so files without parents are one line); one naming a message the chat does not
 * hold, or whose parents loop back to it, makes the file unreadable rather than guessed at.
 */

/** A message as read from the file: `parentId` undefined when the file does not say. */
export type FileMessage = Omit<ImportedMessage, "parentClientId"> & { parentId: string | null | undefined };

export function orderTree(messages: FileMessage[], where: string): ImportedMessage[] {
  // A file naming one message twice keeps the first.
  const known = new Map<string, ImportedMessage>();
  let previous: string | null = null;
  for (const { parentId, ...message } of messages) {
    if (known.has(message.clientId)) continue;
    known.set(message.clientId, { ...message, parentClientId: parentId === undefined ? previous : parentId });
    previous = message.clientId;
  }
  const waiting = new Map<string, ImportedMessage[]>();
  const ordered: ImportedMessage[] = [];
  const placed = new Set<string>();
  for (const message of known.values()) {
    const parent = message.parentClientId;
    if (parent !== null && !known.has(parent)) {
      throw new ImportFileError(
        `${where}: message "${message.clientId}" has parentId "${parent}", which is not a message of this chat.`,
      );
    }
    if (parent !== null && !placed.has(parent)) {
      waiting.set(parent, [...(waiting.get(parent) ?? []), message]);
      continue;
    }
    // Placing a message places the children that waited for it, and theirs, in file order.
    const stack = [message];
    while (stack.length > 0) {
      const next = stack.pop()!;
      ordered.push(next);
      placed.add(next.clientId);
      stack.push(...(waiting.get(next.clientId) ?? []).reverse());
      waiting.delete(next.clientId);
    }
  }
  if (ordered.length < known.size) {
    const stuck = [...known.values()].find((message) => !placed.has(message.clientId))!;
    throw new ImportFileError(`${where}: the parents of message "${stuck.clientId}" loop back to it.`);
  }
  return ordered;
}
