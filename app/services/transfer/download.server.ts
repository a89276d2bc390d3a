import { log } from "#app/lib/logger.server";

/**
 * A download answered from a stream of text: sent as it is produced (pulled only as fast as
 * the client reads), as an attachment with a file name every browser and file system takes.
 */
export function downloadResponse(
  chunks: AsyncGenerator<string>,
  options: { contentType: string; fileName: string; displayName: string },
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // Headers are out: all that can be done is to end the download broken, not complete.
        log.error("export stopped", { error: error instanceof Error ? error.message : String(error) });
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": options.contentType,
      "Content-Disposition": contentDisposition(options.fileName, options.displayName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * `attachment; filename="parley-trip-to-lyon.md"; filename*=UTF-8''Trip%20to%20Lyon.md`: an
 * ASCII name for old clients and the title itself (without characters file systems refuse)
 * for the rest.
 */
export function contentDisposition(asciiName: string, displayName: string): string {
  const encoded = encodeURIComponent(displayName).replace(
    /['()*!]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

/** A file name from a chat title: "Trip to Lyon!" → ascii "parley-trip-to-lyon", display "Trip to Lyon!". */
export function fileNamesFor(title: string, extension: string): { fileName: string; displayName: string } {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  const display = title
    .replace(/[\p{Cc}\\/:*?"<>|\uD800-\uDFFF]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "")
    .slice(0, 100);
  return {
    fileName: `parley-${slug || "chat"}.${extension}`,
    displayName: `${display || "Parley chat"}.${extension}`,
  };
}
