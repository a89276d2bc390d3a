import net from "node:net";
import { describe, expect, it } from "vitest";
import { startPrivateRedis } from "./private-redis";

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("startPrivateRedis", () => {
  it("starts, restarts on the same port with a new PID, and stops", async () => {
    const redis = await startPrivateRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(redis.port).not.toBe(6379);
      const firstPid = redis.pid;
      await redis.restart();
      expect(redis.pid).not.toBe(firstPid);
      expect(await accepts(redis.port)).toBe(true);
      redis.pause();
      redis.resume();
      await redis.stop();
      expect(await accepts(redis.port)).toBe(false);
    } finally {
      await redis.kill();
    }
  });
});
