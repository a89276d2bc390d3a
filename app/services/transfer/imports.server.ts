import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { uuidv7 } from "#db/ids";
import type { ImportRow } from "#db/schema";
import { IMPORT_STALE_SECONDS } from "#db/repositories/transfer-repository";
import { clientAddress } from "#app/lib/client-address.server";
import { admitWrite } from "#app/services/limits/quotas.server";
import type { Runtime } from "#app/services/runtime.server";
import { planWriter } from "#app/services/visitor.server";
import { ImportFileError } from "./import-error.server";
import { runImport } from "./import-runner.server";
import { prepareImport } from "./prepare-import.server";
import { receiveUpload } from "./receive-upload.server";

/**
 * Importing a file of chats (ChatGPT's conversations.json or a Parley export) into the
 * visitor's own chats. The upload request receives the file to disk, reads it through once
 * (every chat checked: a bad file is refused here, with nothing written), counts as one new
 * chat against CHATS_PER_HOUR, starts the import and answers; the chats then go in one
 * transaction each while the import page shows the progress.
 */
export interface StartedImport {
  importId: string;
  /** Set when this import made the visitor a guest (their first write). */
  setCookie?: string;
}

export async function startImportFromUpload(
  runtime: Runtime,
  request: Request,
  context: AppLoadContext,
): Promise<StartedImport> {
  const planned = await planWriter(runtime, request);
  const workDir = await mkdtemp(path.join(tmpdir(), "parley-import-"));
  let started = false;
  try {
    const upload = await receiveUpload(request, workDir, runtime.config.IMPORT_MAX_BYTES);
    const chatsPath = path.join(workDir, "chats.ndjson");
    const prepared = await prepareImport(upload.path, chatsPath);
    await rm(upload.path, { force: true });
    // An import is one deliberate act that may bring thousands of chats: it counts as one new
    // chat, so a person over CHATS_PER_HOUR cannot import either (decision record 0017).
    const address = clientAddress(request, context, runtime.config.TRUST_PROXY);
    const refusal = await admitWrite(runtime, planned, { chat: true }, address);
    if (refusal) throw new ImportFileError(refusal.message, 429, refusal.retryAfterSeconds);
    const writer = await planned.create();
    const job = await runtime.transfers.startImport({
      id: uuidv7(),
      userId: writer.userId,
      source: prepared.source,
      fileName: upload.fileName,
      totalChats: prepared.totalChats,
    });
    if (!job) {
      throw new ImportFileError(
        "An import of yours is still running: wait for it to finish, then try again.",
        409,
      );
    }
    started = true;
    // Runs after this request is answered; it removes the work directory when it ends.
    void runImport(runtime, writer.userId, job.id, chatsPath, workDir);
    return { importId: job.id, setCookie: writer.setCookie };
  } finally {
    if (!started) await rm(workDir, { recursive: true, force: true });
  }
}

export interface ImportView {
  id: string;
  status: ImportRow["status"];
  source: ImportRow["source"];
  fileName: string;
  total: number;
  imported: number;
  skipped: number;
  error: string | null;
  startedAt: string;
}

/** The visitor's latest imports, newest first (none for a visitor who has written nothing). */
export async function recentImports(runtime: Runtime, userId: string | null): Promise<ImportView[]> {
  if (!userId) return [];
  const rows = await runtime.transfers.listImports(userId, 5);
  const staleBefore = Date.now() - IMPORT_STALE_SECONDS * 1000;
  return rows.map((row) => ({
    id: row.id,
    // A running import that stopped moving died with its process (the next import records it).
    status: row.status === "running" && row.updated_at.getTime() < staleBefore ? "interrupted" : row.status,
    source: row.source,
    fileName: row.file_name,
    total: row.total_chats,
    imported: row.imported_chats,
    skipped: row.skipped_chats,
    error: row.error,
    startedAt: row.created_at.toISOString(),
  }));
}
