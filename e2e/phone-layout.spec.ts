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
