import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { log } from "#app/lib/logger.server";
import type { Runtime } from "#app/services/runtime.server";
import { parseChatLine } from "./prepare-import.server";

/**
 * The import's second pass, run after the upload has been answered: the chats the first pass
 * checked and wrote out, one line each, go into the database one transaction per chat (which
 * also moves the import's progress), then the import is marked done. Stopping part-way (the
 * database gone, the process ended) leaves whole chats only; importing the file again adds
 * just the rest, since every chat is found again by its client id.
 */
export async function runImport(
  runtime: Pick<Runtime, "transfers">,
  userId: string,
  importId: string,
  chatsPath: string,
  workDir: string,
): Promise<void> {
  try {
    const lines = createInterface({ input: createReadStream(chatsPath), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      await runtime.transfers.importChat(userId, importId, parseChatLine(line));
    }
    await runtime.transfers.finishImport(importId, { status: "done" });
  } catch (error) {
    log.error("import stopped", { importId, error: error instanceof Error ? error.message : String(error) });
    await runtime.transfers
      .finishImport(importId, {
        status: "failed",
        error:
          "The import stopped before the end (the database did not answer). The chats imported so far " +
          "are complete; import the file again to add the rest.",
      })
      .catch(() => undefined);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
