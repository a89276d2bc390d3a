import net from "node:net";
import { E2E_APP_PORT } from "./support/environment";
import { rawRequest } from "./support/raw-http";
import { expect, test } from "./support/fixtures";

/**
 * Parley's own timeouts (server/http-timeouts.ts), measured on the running server: a client
 * that dribbles its headers or its body is cut off in about the chosen time, and a keep-alive
 * connection outlives the 15 s poll of an idle tab (measured cheaper than reconnecting, 0025)
 * and closes a few seconds after it.
 */
const HEADERS_TIMEOUT_S = 10;
const REQUEST_TIMEOUT_S = 30;
const KEEP_ALIVE_TIMEOUT_S = 20;
/** Node checks for expired requests once a second (connectionsCheckingInterval). */
const CHECK_SLACK_S = 2;

test.describe.configure({ timeout: 60_000 });

test("headers dribbled one byte at a time are cut off after about 10 s", async () => {
  const answer = await rawRequest(E2E_APP_PORT, "GET /chats HTTP/1.1\r\nHost: localhost\r\n", {
    dribble: { text: `X-Slow: ${"a".repeat(200)}`, everyMs: 500 },
    timeoutMs: 40_000,
  });
  expect(answer.status).toBe(408);
  expect(answer.closedAfterMs / 1000).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_S - 0.5);
  expect(answer.closedAfterMs / 1000).toBeLessThan(HEADERS_TIMEOUT_S + CHECK_SLACK_S);
});

test("a body dribbled one byte at a time is cut off after about 30 s", async () => {
  const head =
    "POST /chats?index HTTP/1.1\r\nHost: localhost\r\n" +
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n";
  const answer = await rawRequest(E2E_APP_PORT, head, {
    dribble: { text: "a".repeat(5000), everyMs: 500 },
    timeoutMs: 50_000,
  });
  expect(answer.closedAfterMs / 1000).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_S - 0.5);
  expect(answer.closedAfterMs / 1000).toBeLessThan(REQUEST_TIMEOUT_S + CHECK_SLACK_S);
});

test("a keep-alive connection outlives an idle tab's 15 s poll, then closes after about 20 s", async () => {
  const socket = net.connect(E2E_APP_PORT, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString()));
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(performance.now())));
  const answers = async (count: number) =>
    expect.poll(() => received.split("HTTP/1.1 200").length - 1, { timeout: 5_000 }).toBe(count);

  const poll = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
  socket.write(poll);
  await answers(1);
  await new Promise((resolve) => setTimeout(resolve, 16_000));
  expect(socket.destroyed, "still open after 16 s idle").toBe(false);
  socket.write(poll);
  await answers(2);
  const lastAnswer = performance.now();
  const idleSeconds = ((await closed) - lastAnswer) / 1000;
  expect(idleSeconds).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_S - 0.5);
  expect(idleSeconds).toBeLessThan(KEEP_ALIVE_TIMEOUT_S + CHECK_SLACK_S);
});
