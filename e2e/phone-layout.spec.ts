import type { Locator } from "@playwright/test";
import { test, expect } from "./support/fixtures";
import { sidebar } from "./support/chat";

/** On a phone the chat list is a drawer (checkbox + label, no script needed). */
test.use({ viewport: { width: 390, height: 844 } });

test("with the drawer closed, Tab never moves focus onto the hidden chat list", async ({ page, guest }) => {
  await guest.seedChats(2, (index) => `Phone chat ${index + 1}`);
  await page.goto("/chats");
  await expect(sidebar(page)).not.toBeInViewport();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  const offscreen: string[] = [];
  for (let press = 0; press < 20; press += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const box = element.getBoundingClientRect();
      return {
        // The drawer's checkbox is visually hidden on purpose: its focus ring is drawn on the menu button.
        exempt: element.id === "drawer-toggle",
        onscreen: box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight,
        name: `${element.tagName.toLowerCase()} "${(
          element.getAttribute("aria-label") ??
          element.textContent ??
          ""
        )
          .trim()
          .slice(0, 40)}"`,
      };
    });
    if (focused && !focused.exempt && !focused.onscreen) offscreen.push(focused.name);
  }
  expect(offscreen, "focused elements the person cannot see").toEqual([]);

  // Opened, the drawer's links are reachable and visible.
  await page.locator('label[for="drawer-toggle"]').first().click();
  await expect(sidebar(page).getByRole("link", { name: "Phone chat 1" })).toBeInViewport();
});

/** Whether two boxes share any area (touching edges do not count). */
function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box: it is not rendered`);
  return box;
}

test("the menu button covers no page heading: a long chat title, the new-chat and project pages", async ({
  page,
  guest,
}) => {
  const title =
    "A very long chat title that has to be cut off before the model menu, not under the menu button";
  const [chatId] = await guest.seedChats(1, () => title);
  const menuButton = page.locator(".shell__menu-button");

  await page.goto(`/chats/${chatId}`);
  const heading = page.getByRole("heading", { level: 1, name: title });
  const modelPicker = page.getByRole("combobox", { name: "Model" });
  const [menu, titleBox, picker] = await Promise.all([boxOf(menuButton), boxOf(heading), boxOf(modelPicker)]);
  expect(intersects(menu, titleBox), "the menu button overlaps the chat title").toBe(false);
  expect(intersects(titleBox, picker), "the model menu overlaps the chat title").toBe(false);
  // The title is cut off, but still shows its start.
  expect(titleBox.width).toBeGreaterThan(100);

  // On a short screen the new-chat page scrolls; at its top, the heading clears the button too.
  await page.setViewportSize({ width: 390, height: 500 });
  await page.goto("/chats");
  const welcome = page.getByRole("heading", { level: 1, name: "What can I help with?" });
  const scroller = page.locator(".chat__scroller");
  expect(await scroller.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
  await scroller.evaluate((element) => element.scrollBy(0, -element.scrollHeight));
  expect(
    intersects(await boxOf(menuButton), await boxOf(welcome)),
    "the menu button overlaps the heading",
  ).toBe(false);

  // And the project pages' heading.
  await page.goto("/projects/new");
  const projectHeading = page.getByRole("heading", { level: 1, name: "New project" });
  expect(
    intersects(await boxOf(menuButton), await boxOf(projectHeading)),
    "the menu button overlaps the project page's heading",
  ).toBe(false);
});
