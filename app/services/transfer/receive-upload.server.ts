import { createWriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { refuseCrossSite } from "#app/lib/http.server";
import { formatCount, ImportFileError } from "./import-error.server";

/**
 * The import form's upload, streamed to a file in `directory` as it arrives: never held in
 * memory, and cut off (413) as soon as it passes `maxBytes`. The form is a plain
 * multipart/form-data POST with one file field, `file`; other fields are at most a few bytes.
 */
export interface ReceivedUpload {
  path: string;
  /** The name the browser gave, for the import's record (cleaned; may be empty). */
  fileName: string;
  bytes: number;
}

/** Room for the multipart boundaries and headers around the file. */
const ENVELOPE_BYTES = 64 * 1024;
const FIELD_MAX_BYTES = 1024;

export async function receiveUpload(
  request: Request,
  directory: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (request.method !== "POST") throw new ImportFileError("Send the file with the import form.", 400);
  refuseCrossSite(request);
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "multipart/form-data") {
    throw new ImportFileError("Send the file as multipart/form-data (the import form does).", 415);
  }
  const declared = request.headers.get("Content-Length");
  // A body that declares more than the limit is refused before a byte of it is read.
  if (declared !== null && !(Number(declared) <= maxBytes + ENVELOPE_BYTES)) throw tooLarge(maxBytes);

  let received: ReceivedUpload | undefined;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (name === "file" && filename !== undefined) {
      if (received) throw new ImportFileError("Choose one file to import.", 400);
      const target = path.join(directory, "upload.json");
      const out = createWriteStream(target, { flags: "wx", mode: 0o600 });
      let bytes = 0;
      try {
        for await (const chunk of data) {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) throw tooLarge(maxBytes);
          if (!out.write(chunk)) await once(out, "drain");
        }
        out.end();
        await once(out, "finish");
      } finally {
        out.destroy();
      }
      received = { path: target, fileName: cleanFileName(filename), bytes };
      return undefined;
    }
    let bytes = 0;
    for await (const chunk of data) {
      bytes += chunk.byteLength;
      if (bytes > FIELD_MAX_BYTES) throw new ImportFileError("This form has a field that is too large.", 413);
    }
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError("The upload could not be read: send it again with the import form.", 400);
  }
  if (!received || (received.bytes === 0 && received.fileName === "")) {
    throw new ImportFileError("Choose a file to import.", 400);
  }
  return received;
}

function tooLarge(maxBytes: number): ImportFileError {
  const megabytes = maxBytes / (1024 * 1024);
  return new ImportFileError(
    `The file is larger than this server's import limit of ${megabytes >= 1 ? `${formatCount(Math.floor(megabytes))} MB` : `${formatCount(maxBytes)} bytes`}.`,
    413,
  );
}

/** The file's name for display: no path, no control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  return name
    .replace(/[\p{Cc}\uD800-\uDFFF]/gu, "")
    .trim()
    .slice(0, 200);
}
