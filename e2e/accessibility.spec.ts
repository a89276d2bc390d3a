import { expectNoViolations } from "./support/axe";
import { enqueueBehaviours } from "./fake-llm/control-client";
import { E2E_FAKE_LLM_URL } from "./support/environment";
import { expect, test } from "./support/fixtures";

/**
 * WCAG 2 A/AA checks by axe-core on the main screens, in both colour schemes: every control
 * named (its visible text in its name), contrast at least AA, landmarks and lists well formed.
 */
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("the new-chat screen and a chat with a reply have no WCAG A/AA violations", async ({
      page,
      guest,
    }) => {
      await guest.seedChats(3);
      await page.goto("/chats");
      await expectNoViolations(page);
      // The logo link's name starts with the word it shows, so "click Parley" by voice finds it.
      await expect(page.getByRole("link", { name: "Parley, new chat", exact: true })).toBeVisible();

      const marker = `[a11y-${colorScheme}]`;
      await enqueueBehaviours(E2E_FAKE_LLM_URL, [
        {
          match: marker,
          type: "reply",
          chunks: [
            "Here is **bold**, a [link](https://example.com) and code:\n\n```js\nconst answer = 42;\n```\n\n- one\n- two",
          ],
        },
      ]);
      await page.getByRole("textbox", { name: "Message" }).fill(`Show me formatting ${marker}`);
      await page.keyboard.press("Enter");
      await expect(page.getByRole("article", { name: "Parley said" }).last()).toHaveAttribute(
        "data-status",
        "complete",
      );
      await expectNoViolations(page);

      await page.goto("/projects/new");
      await expectNoViolations(page);
    });
  });
}
