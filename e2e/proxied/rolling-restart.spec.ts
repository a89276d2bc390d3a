import { e2eData } from "#e2e/support/database";
import { extraInstancePort, proxyPort } from "#e2e/support/environment";
import { newMarker, scriptFakeModel } from "#e2e/support/fake-model";
import { createGuest, expect, test } from "#e2e/support/fixtures";
import { startMixedLoad, type LoadClient } from "#e2e/support/mixed-load";
import { instanceIdOf, startProxiedInstances, type ProxiedInstances } from "#e2e/support/proxied-instances";

/**
 * The rolling-restart drill: while clients read chat pages, reload data, ask the sync check and
 * send messages through nginx, each of two instances in turn gets SIGTERM and is started
 * again (the next only once the proxy routes to the new one). No request may fail, and every
 * send acknowledged to its client must be in Postgres, once. A reply being written on the
 * instance that stops must be finished while it drains.
 */
const CLIENTS = 6;
let proxied: ProxiedInstances;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  proxied = await startProxiedInstances(proxyPort(1), [extraInstancePort(36), extraInstancePort(37)], {
    // The production default: on a busy test machine an instance that is starting up can starve
    // the other's heartbeats for the e2e setting's 4 s, and a live reply would be swept as
    // interrupted. A reply that one of these instances left behind would still be seen.
    REPLY_HEARTBEAT_TIMEOUT_MS: "15000",
  });
});
test.afterAll(async () => {
  await proxied?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a rolling restart under mixed load through nginx fails no request and loses no acknowledged send", async () => {
  test.setTimeout(120_000);
  const { chats } = e2eData();
  const guests = await Promise.all(Array.from({ length: CLIENTS }, () => createGuest()));
  const clients: LoadClient[] = await Promise.all(
    guests.map(async (guest) => ({
      cookie: `${guest.cookie.name}=${guest.cookie.value}`,
      chatIds: await guest.seedChats(2, (index) => `Drill chat ${index + 1}`),
      replyPending: async (chatId: string) =>
        (await chats.visibleBranchMessages(guest.userId, chatId)).at(-1)?.status === "pending",
    })),
  );
  const drainGuest = await createGuest();
  const drainChats = await drainGuest.seedChats(2, (index) => `Reply while draining ${index + 1}`);
  const drainCookie = `${drainGuest.cookie.name}=${drainGuest.cookie.value}`;

  const startedAt = Date.now();
  const load = startMixedLoad(proxied.url, clients);
  await sleep(2_000);
  const restarts: string[] = [];
  for (const index of [0, 1]) {
    // A reply of about 1.5 s, started on this instance just before it is told to stop.
    const marker = newMarker("drain");
    await scriptFakeModel(marker, {
      type: "reply",
      chunks: ["Finished ", "while ", "draining."],
      delayMs: 500,
    });
    const sent = await fetch(`${proxied.instances[index].url}/chats/${drainChats[index]}`, {
      method: "POST",
      headers: { Cookie: drainCookie, Origin: proxied.instances[index].url },
      body: new URLSearchParams({
        intent: "send",
        content: `Long answer ${marker}`,
        clientId: crypto.randomUUID(),
      }),
      redirect: "manual",
    });
    expect(sent.status).toBe(302);

    const { stopMs, startMs } = await proxied.restart(index);
    const routing = Date.now();
    await routedTo(proxied.ids[index]);
    restarts.push(
      `drained and exited ${stopMs} ms, started ${startMs} ms, routed to ${Date.now() - routing} ms`,
    );
  }
  await sleep(2_000);
  const figures = await load.stop();
  const loadSeconds = (Date.now() - startedAt) / 1000;

  // Every acknowledged send is in Postgres, once, with its text.
  const stored = new Map<string, string[]>();
  for (const [index, client] of clients.entries()) {
    for (const chatId of client.chatIds) {
      for (const message of await chats.visibleBranchMessages(guests[index].userId, chatId)) {
        if (message.client_id)
          stored.set(message.client_id, [...(stored.get(message.client_id) ?? []), message.content]);
      }
    }
  }
  const lost = figures.acknowledged.filter((send) => stored.get(send.clientId)?.join() !== send.content);

  // Replies started during the drill end complete (none interrupted: every instance drained).
  const replyStatuses = new Map<string, number>();
  await expect
    .poll(
      async () => {
        replyStatuses.clear();
        for (const [index, client] of clients.entries()) {
          for (const chatId of client.chatIds) {
            for (const message of await chats.visibleBranchMessages(guests[index].userId, chatId)) {
              if (message.role === "assistant")
                replyStatuses.set(message.status, (replyStatuses.get(message.status) ?? 0) + 1);
            }
          }
        }
        return replyStatuses.get("pending") ?? 0;
      },
      { timeout: 10_000 },
    )
    .toBe(0);
  const retried = proxied.nginx
    .accessLog()
    .split("\n")
    .filter((line) => line.split(" ")[1]?.endsWith(",")).length;

  const summary =
    `${figures.requests} requests in ${loadSeconds.toFixed(1)} s (${JSON.stringify(figures.byKind)}), ` +
    `${figures.failures.length} failed, ${figures.acknowledged.length} sends acknowledged, ${lost.length} lost, ` +
    `${retried} retried by nginx on another instance, restarts: ${restarts.join("; ")}, ` +
    `replies ${JSON.stringify(Object.fromEntries(replyStatuses))}`;
  console.log(`rolling restart: ${summary}`);
  // What nginx saw go wrong with an upstream, beyond the refused connections it resent elsewhere.
  const upstreamErrors = proxied.nginx
    .errorLog()
    .split("\n")
    .filter((line) => line.includes("[error]") && !line.includes("(111: Connection refused)"));
  if (upstreamErrors.length > 0) console.log(`nginx upstream errors:\n${upstreamErrors.join("\n")}`);

  expect(figures.failures).toEqual([]);
  expect(lost).toEqual([]);
  expect(figures.acknowledged.length).toBeGreaterThan(10);
  expect(replyStatuses.get("interrupted") ?? 0).toBe(0);
  expect(replyStatuses.get("error") ?? 0).toBe(0);
  // The replies started on each instance just before its SIGTERM were finished while it drained.
  for (const chatId of drainChats) {
    const last = (await chats.visibleBranchMessages(drainGuest.userId, chatId)).at(-1);
    expect(last).toMatchObject({
      role: "assistant",
      status: "complete",
      content: "Finished while draining.",
    });
  }
});

/** Waits until nginx sends requests to the instance named `id` again (its fail_timeout has passed). */
async function routedTo(id: string): Promise<void> {
  await expect
    .poll(
      async () => {
        for (let attempt = 0; attempt < 4; attempt += 1) {
          const response = await fetch(`${proxied.url}/healthz`);
          if (response.headers.get("x-parley-instance") === id) return true;
        }
        return false;
      },
      { timeout: 15_000, intervals: [200] },
    )
    .toBe(true);
  expect(await instanceIdOf(proxied.instances.find((_, index) => proxied.ids[index] === id)!.url)).toBe(id);
}
