import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { test, expect } from "./support/fixtures";
import { bubble, CHAT_URL, expectReplyComplete, messages, sendWithEnter } from "./support/chat";
import { E2E_EMBEDDED_PORT, E2E_EMBEDDED_URL } from "./support/environment";

/** The zero-configuration default: PGlite, the in-process store and the offline demo provider. */
test.use({ baseURL: E2E_EMBEDDED_URL });

test("a new visitor gets the offline demo's reply, kept across a reload", async ({ page }) => {
  await page.goto("/chats");
  await expect(
    page.getByText("No model is connected yet, so replies come from the offline demo."),
  ).toBeVisible();

  await sendWithEnter(page, "Hello embedded Parley, are you there?");
  await expect(page).toHaveURL(CHAT_URL);
  await expectReplyComplete(page, 2);
  const reply = messages(page).last();
  await expect(reply).toContainText("This is Parley's offline demo: no AI model is connected.");
  await expect(reply).toContainText("Hello embedded Parley, are you there?");

  await page.reload();
  await expectReplyComplete(page, 2);
  await expect(bubble(messages(page).first())).toHaveText("Hello embedded Parley, are you there?");
  await expect(messages(page).last()).toContainText("This is Parley's offline demo");
  await expect(page.getByRole("navigation", { name: "Chats" }).getByText("Offline demo")).toBeVisible();
});

test("/healthz reports the embedded cache", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ db: "ok", cache: "embedded" });
});

test("npm start serves the bundled JavaScript, with no TypeScript loader in the server's process", () => {
  // The embedded instance is started with `npm start` (playwright.config.ts): find whoever
  // listens on its port, and read the command line it runs.
  const pid = listenerOf(E2E_EMBEDDED_PORT);
  expect(pid, `a process listening on ${E2E_EMBEDDED_PORT}`).toBeDefined();
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  expect(path.basename(argv[0])).toBe("node");
  expect(argv.slice(1)).toEqual(["build/server.js"]);
  // Nor is tsx brought in another way: its loader thread and compiled sources cost about 45 MB (0029).
  expect(readFileSync(`/proc/${pid}/environ`, "utf8")).not.toMatch(/NODE_OPTIONS=[^\0]*tsx/);
});

/** The process listening on a loopback TCP port, from /proc (the socket's inode, then its owner). */
function listenerOf(port: number): string | undefined {
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${portHex}`) && fields[3] === "0A") inodes.add(fields[9]);
    }
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "")) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}
