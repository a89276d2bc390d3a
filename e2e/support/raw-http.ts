import net from "node:net";

/**
 * HTTP written byte for byte over a socket, for requests no HTTP client will send (a Host
 * with a space, a target of `//[`, headers dribbled one byte at a time).
 */
export interface RawAnswer {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte written until the server closed the connection. */
  closedAfterMs: number;
}

export interface RawOptions {
  /** Bytes sent one at a time, this many milliseconds apart, after `head`. */
  dribble?: { text: string; everyMs: number };
  /** Give up (and fail) after this long. */
  timeoutMs?: number;
}

export function rawRequest(port: number, head: string, options: RawOptions = {}): Promise<RawAnswer> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const started = performance.now();
    const chunks: Buffer[] = [];
    let dribbler: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(head.split("\r\n")[0])}`));
    }, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {}); // a reset is an answer too: the close below reports it
    socket.on("close", () => {
      clearTimeout(timer);
      clearInterval(dribbler);
      resolve({
        ...parse(Buffer.concat(chunks).toString("utf8")),
        closedAfterMs: performance.now() - started,
      });
    });
    socket.write(head);
    if (options.dribble) {
      const { text, everyMs } = options.dribble;
      let index = 0;
      dribbler = setInterval(() => {
        if (socket.destroyed || index >= text.length) return clearInterval(dribbler);
        socket.write(text[index++]);
      }, everyMs);
    }
  });
}

function parse(raw: string): Omit<RawAnswer, "closedAfterMs"> {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) return { status: 0, headers: {}, body: raw };
  const [statusLine, ...lines] = raw.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: raw.slice(end + 4) };
}
