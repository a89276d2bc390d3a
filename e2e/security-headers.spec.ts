import type { Page } from "@playwright/test";
import {
  CHAT_URL,
  expectReplyComplete,
  messages,
  openChatMenu,
  renameOpenChat,
  sendWithEnter,
  sidebar,
} from "./support/chat";
import { newMarker, scriptFakeModel } from "./support/fake-model";
import { expect, test } from "./support/fixtures";

/**
 * Every page carries a Content-Security-Policy whose scripts must bear a per-request nonce,
 * and the main screens run under it without a single violation.
 */
const BASELINE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

/** Collects CSP violations (the DOM event, on every page the context opens) and console complaints. */
async function watchPolicies(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__reportViolation", (_source, text: string) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportViolation(text: string): void }).__reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}`);
    });
  });
  page.on("console", (message) => {
    const text = message.text();
    if (/Content.Security.Policy|Permissions.Policy|Refused to/i.test(text)) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  return problems;
}

test("documents carry a nonce-based CSP and the baseline headers; other responses the baseline", async ({
  page,
  guest,
}) => {
  const [chatId] = await guest.seedChats(1);
  const first = await page.request.get(`/chats/${chatId}`);
  const second = await page.request.get(`/chats/${chatId}`);
  const policy = first.headers()["content-security-policy"];
  const nonce = /'nonce-([A-Za-z0-9+/=]{16,})'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(second.headers()["content-security-policy"]).not.toContain(nonce);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  expect(first.headers()).toMatchObject(BASELINE);
  expect(first.headers()["permissions-policy"]).toContain("camera=()");
  // Production mode (as the e2e app runs): HSTS, which browsers honour only over HTTPS.
  expect(first.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);

  const stylesheet = /href="(\/build\/[^"]+\.css)"/.exec(html)?.[1] ?? "";
  const others = [`/chats/${chatId}.data`, stylesheet, "/healthz", "/no-such-page"];
  for (const path of others) {
    const response = await page.request.get(path);
    expect(response.headers(), path).toMatchObject(BASELINE);
    expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
  }
  // The sync check, a few bytes thousands of times a second, carries only what JSON needs.
  const sync = await page.request.get(`/resources/sync?chat=${chatId}`);
  expect(sync.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the main screens run without a single CSP violation", async ({ page, guest }) => {
  await guest.seedChats(2, (index) => `Seeded ${index + 1}`);
  const problems = await watchPolicies(page);
  const marker = newMarker("csp");
  await scriptFakeModel(marker, {
    type: "reply",
    chunks: ["A table, aligned:\n\n", "| left | right |\n|:-----|------:|\n| a | 1 |\n\n", "```js\nx()\n```"],
  });

  await page.goto("/chats");
  await sendWithEnter(page, `Show me a table ${marker}`);
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  await expect(messages(page).last().locator("td").last()).toHaveText("1");
  await page.reload();
  await expectReplyComplete(page, 2);
  await renameOpenChat(page, "Renamed under CSP");

  const menu = await openChatMenu(page, "Seeded 1");
  await menu.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete chat?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto("/projects/new");
  await page.getByRole("textbox", { name: "Name" }).fill("CSP project");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/project=/);
  await sidebar(page).getByRole("link", { name: "Edit project CSP project" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("CSP project");
  await page.getByRole("link", { name: "Delete project…" }).click();
  await expect(page.getByRole("button", { name: "Delete project" })).toBeVisible();
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  expect(problems).toEqual([]);
});
