import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readLogErrors } from "./app-process";

describe("readLogErrors", () => {
  it("counts Parley's error and warning lines, groups them without ids, and skips expected ones", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-log-"));
    const file = path.join(dir, "server.log");
    writeFileSync(
      file,
      [
        "2026-01-01T00:00:00.000Z info Parley listening on http://127.0.0.1:3000",
        "2026-01-01T00:00:01.000Z error request failed requestId=abc123 url=/chats/01234567-89ab-7def-8123-456789abcdef error=boom",
        "2026-01-01T00:00:02.000Z error request failed requestId=def456 url=/chats/11234567-89ab-7def-8123-456789abcdef error=boom",
        "2026-01-01T00:00:03.000Z warn hot store: redis unavailable (connect ECONNREFUSED)",
        "    at handle (/work/main/server/parley-server.ts:29:28)",
      ].join("\n"),
    );
    try {
      const all = readLogErrors(file);
      expect(all.count).toBe(3);
      expect(all.samples[0]).toBe("2× error request failed url=/chats/:id error=boom");
      expect(readLogErrors(file, /redis unavailable/).count).toBe(2);
      expect(readLogErrors(path.join(dir, "missing.log")).count).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
