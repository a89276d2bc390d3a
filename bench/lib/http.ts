import http from "node:http";
import { gunzipSync } from "node:zlib";

/**
 * One-off HTTP requests for probing routes and measuring response sizes (not for load: the
 * load generators live in their own processes). node:http rather than fetch, so that the
 * bytes on the wire (gzip or not) are what we count.
 */
export interface ProbeResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes of the body as sent on the wire (compressed when the server compressed it). */
  wireBytes: number;
  /** The decoded body. */
  body: string;
  ms: number;
}

export interface ProbeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export function probe(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          ...(options.body ? { "Content-Length": String(Buffer.byteLength(options.body)) } : {}),
          ...options.headers,
        },
        agent: false,
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const raw = Buffer.concat(chunks);
          let body: string;
          try {
            body =
              response.headers["content-encoding"] === "gzip"
                ? gunzipSync(raw).toString("utf8")
                : raw.toString("utf8");
          } catch {
            body = raw.toString("utf8");
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            wireBytes: raw.length,
            body,
            ms: performance.now() - started,
          });
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () =>
      request.destroy(new Error(`timed out after ${options.timeoutMs ?? 15_000} ms: ${url}`)),
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** Like probe() but never rejects: a refused connection is status 0 with the error in body. */
export async function tryProbe(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  try {
    return await probe(url, options);
  } catch (error) {
    return {
      status: 0,
      headers: {},
      wireBytes: 0,
      body: error instanceof Error ? error.message : String(error),
      ms: 0,
    };
  }
}

export const BROWSER_HEADERS = {
  "Accept-Encoding": "gzip, deflate",
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) parley-bench",
} as const;
