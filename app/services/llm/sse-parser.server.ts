/**
 * Incremental parser for `text/event-stream` bodies. Network chunks split lines (and even
 * a CRLF pair) anywhere, so we buffer until a full line is seen and follow the SSE rules:
 * `data:` lines accumulate, a blank line dispatches the event, `:` lines are comments.
 * Only the data payloads matter for OpenAI-style streams; other fields are ignored.
 */
export class SseDataParser {
  private buffer = "";
  private data: string[] = [];

  /** Feeds decoded text; returns the data payloads of the events it completed. */
  push(text: string): string[] {
    const events: string[] = [];
    const buffer = this.buffer + text;
    let lineStart = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      // A final "\r" may be the first half of a CRLF whose "\n" is in the next chunk.
      if (ch === "\r" && i === buffer.length - 1) break;
      this.line(buffer.slice(lineStart, i), events);
      if (ch === "\r" && buffer[i + 1] === "\n") i++;
      lineStart = i + 1;
    }
    this.buffer = buffer.slice(lineStart);
    return events;
  }

  /** Call at end of stream: flushes a last line or event the server did not terminate. */
  end(): string[] {
    const events: string[] = [];
    const rest = this.buffer.replace(/\r$/, "");
    this.buffer = "";
    if (rest) this.line(rest, events);
    this.line("", events);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === "") {
      if (this.data.length > 0) events.push(this.data.join("\n"));
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return;
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.data.push(value);
  }
}
