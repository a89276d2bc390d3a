import { enqueueBehaviours, recordedRequests } from "#e2e/fake-llm/control-client";
import { E2E_FAKE_LLM_URL } from "#e2e/support/environment";
import { expect, test } from "#e2e/support/fixtures";

const isSync = (url: string) => new URL(url).pathname === "/resources/sync";

test("what a visible tab costs: polls per minute, bytes per poll, polls while a reply is pending", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1);
  await page.clock.install();
  let polls = 0;
  page.on("request", (request) => {
    if (isSync(request.url())) polls += 1;
  });
  await page.goto(`/chats/${chatId}`);
  await page.waitForLoadState("networkidle");

  // Fake time, real requests: step the clock and let each poll's fetch settle.
  const pollsOver = async (ms: number) => {
    const before = polls;
    for (let elapsed = 0; elapsed < ms; elapsed += 500) {
      await page.clock.runFor(500);
      await page.waitForTimeout(20);
    }
    return polls - before;
  };
  const activeMinute = await pollsOver(60_000);
  const idleMinute = await pollsOver(60_000);

  const response = await page.request.get(`/resources/sync?chat=${chatId}`);
  const body = await response.body();
  const headerBytes = Object.entries(response.headers()).reduce(
    (sum, [key, value]) => sum + key.length + value.length + 4,
    17,
  );

  console.log(
    JSON.stringify({
      pollsPerMinuteActive: activeMinute,
      pollsPerMinuteIdle: idleMinute,
      syncResponseBodyBytes: body.length,
      syncResponseBytesWithHeaders: body.length + headerBytes,
      syncBody: body.toString(),
    }),
  );
  expect(activeMinute).toBeGreaterThan(idleMinute);
});

test("reply latency: provider's first token to its first rendering, median of 20", async ({
  page,
  guest,
}) => {
  expect(guest.userId).toBeTruthy();
  await page.goto("/chats");
  await page.getByRole("textbox", { name: "Message" }).fill("warm up");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("article", { name: "Parley said" }).last()).toHaveAttribute(
    "data-status",
    "complete",
  );

  const latencies: number[] = [];
  for (let index = 0; index < 20; index += 1) {
    const marker = `[latency-${index}-${Date.now()}]`;
    await enqueueBehaviours(E2E_FAKE_LLM_URL, [
      {
        match: marker,
        type: "reply",
        chunks: ["First", " token", " and", " more", " words."],
        firstDelayMs: 0,
        delayMs: 250,
      },
    ]);
    // Record (in the page's clock, which is this machine's clock) when reply text first shows.
    await page.evaluate(() => {
      const w = window as unknown as { __firstText?: number };
      w.__firstText = undefined;
      const observer = new MutationObserver(() => {
        const reply = [
          ...document.querySelectorAll('article[aria-label="Parley said"][data-status="pending"]'),
        ].pop();
        if (reply && reply.textContent?.includes("First") && w.__firstText === undefined) {
          w.__firstText = Date.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole("textbox", { name: "Message" }).fill(`Question ${marker}`);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("article", { name: "Parley said" }).last()).toHaveAttribute(
      "data-status",
      "complete",
    );
    const firstText = await page.evaluate(() => (window as unknown as { __firstText?: number }).__firstText);
    const requests = await recordedRequests(E2E_FAKE_LLM_URL);
    const request = requests.find((candidate) => JSON.stringify(candidate.body).includes(marker));
    if (firstText && request) latencies.push(firstText - Date.parse(request.receivedAt));
  }
  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)];
  console.log(
    JSON.stringify({
      replies: latencies.length,
      firstTokenToRenderMs: { median, min: latencies[0], max: latencies[latencies.length - 1] },
    }),
  );
  expect(latencies.length).toBeGreaterThanOrEqual(15);
});

test("extra requests a tab makes while a reply is pending", async ({ page, guest }) => {
  expect(guest.userId).toBeTruthy();
  const marker = `[pending-rate-${Date.now()}]`;
  await enqueueBehaviours(E2E_FAKE_LLM_URL, [
    {
      match: marker,
      type: "reply",
      chunks: Array.from({ length: 11 }, (_, index) => `word${index} `),
      delayMs: 1000,
    },
  ]);
  const replyPolls: number[] = [];
  page.on("request", (request) => {
    if (isSync(request.url()) && request.url().includes("reply=")) replyPolls.push(Date.now());
  });
  await page.goto("/chats");
  await page.getByRole("textbox", { name: "Message" }).fill(`Slow one ${marker}`);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("article", { name: "Parley said" }).last()).toHaveAttribute(
    "data-status",
    "complete",
    {
      timeout: 30_000,
    },
  );
  const seconds = (replyPolls[replyPolls.length - 1] - replyPolls[0]) / 1000;
  // Without a reply the tab polls every 2 s (0.5/s); the difference is what a pending reply adds.
  const rate = (replyPolls.length - 1) / seconds;
  console.log(
    JSON.stringify({
      replyPolls: replyPolls.length,
      seconds,
      pollsPerSecond: rate,
      extraPerSecond: rate - 0.5,
    }),
  );
  expect(replyPolls.length).toBeGreaterThan(5);
});
