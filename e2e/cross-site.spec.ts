import http from "node:http";
import type { AddressInfo } from "node:net";
import { startAppInstance } from "./support/app-instance";
import { CHAT_URL, expectReplyComplete, renameOpenChat, sendWithEnter } from "./support/chat";
import { e2eData } from "./support/database";
import { E2E_APP_PORT, E2E_APP_URL } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * Parley's own origin check: a form sent from another site is refused with a 403 page that
 * says so (Remix's built-in check answered these with a bare 500 logged as a server error),
 * and forms from Parley's own pages work, also behind a proxy that rewrites Host.
 */
const CROSS_SITE = /sent from another site/;

test("a cross-site POST is refused with a 403 that explains itself, and changes nothing", async ({
  page,
  guest,
}) => {
  const { db } = e2eData().database;
  const [chatId] = await guest.seedChats(1, () => "Untouched chat");
  const rename = (headers: Record<string, string>) =>
    page.request.post(`/chats/${chatId}`, {
      form: { intent: "rename", title: "Renamed from elsewhere" },
      headers,
      maxRedirects: 0,
    });

  const refusals: Array<[string, Record<string, string>, number, RegExp]> = [
    ["another origin", { Origin: "http://evil.example" }, 403, CROSS_SITE],
    ["another port of this host", { Origin: "http://127.0.0.1:1" }, 403, CROSS_SITE],
    ["an opaque origin", { Origin: "null" }, 403, CROSS_SITE],
    ["no Origin, but Sec-Fetch-Site", { "Sec-Fetch-Site": "cross-site" }, 403, CROSS_SITE],
    ["an Origin that is no URL", { Origin: "not a url" }, 400, /Origin header/],
  ];
  for (const [what, headers, status, reason] of refusals) {
    const response = await rename(headers);
    expect(response.status(), what).toBe(status);
    const body = await response.text();
    expect(body, what).toMatch(reason);
    expect(body, what).toContain(`Not accepted (${status})`);
  }
  const title = async () =>
    (await db.selectFrom("chats").select("title").where("id", "=", chatId).executeTakeFirstOrThrow()).title;
  expect(await title()).toBe("Untouched chat");

  // The same form from Parley's own origin goes through.
  const same = await rename({ Origin: E2E_APP_URL, "Sec-Fetch-Site": "same-origin" });
  expect(same.status()).toBe(302);
  expect(await title()).toBe("Renamed from elsewhere");
});

test("a form on another site that posts to Parley gets the 403 page in the browser", async ({ page }) => {
  await page.route("http://attacker.test/", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form method="post" action="${E2E_APP_URL}/chats?index">
        <input name="intent" value="send"><input name="content" value="planted">
        <input name="clientId" value="planted-message-01"><button>Go</button></form>`,
    }),
  );
  await page.goto("http://attacker.test/");
  const answer = page.waitForResponse((response) => response.request().method() === "POST");
  await page.getByRole("button", { name: "Go" }).click();
  expect((await answer).status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not accepted (403)" })).toBeVisible();
  await expect(page.getByText(CROSS_SITE)).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to Parley" })).toHaveAttribute("href", "/");
});

/** A reverse proxy that forwards neither Host nor X-Forwarded-Host (it sends its upstream's). */
function startHostRewritingProxy(upstreamPort: number): Promise<{ port: number; close(): void }> {
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}` };
    const upstream = http.request(
      { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

test("behind a proxy that rewrites Host, ORIGIN makes Parley's own forms work and still refuses others", async ({
  browser,
}) => {
  const instancePort = E2E_APP_PORT + 21;
  const proxy = await startHostRewritingProxy(instancePort);
  const publicUrl = `http://localhost:${proxy.port}`;
  const instance = await startAppInstance(instancePort, { ORIGIN: publicUrl }, { echo: false });
  const context = await browser.newContext({ baseURL: publicUrl });
  try {
    const page = await context.newPage();
    await page.goto("/chats");
    await sendWithEnter(page, "Through the proxy");
    await expect(page).toHaveURL(CHAT_URL);
    await expectReplyComplete(page, 2);
    await renameOpenChat(page, "Renamed through the proxy");

    const forged = await context.request.post(page.url(), {
      form: { intent: "rename", title: "Forged" },
      headers: { Origin: `http://127.0.0.1:${instancePort}` },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Renamed through the proxy");
    expect(instance.errorLog(), "nothing logged as a server error").not.toMatch(/Z error /);
  } finally {
    await context.close();
    await instance.stop();
    proxy.close();
  }
});
