import { expect, test } from "./support/fixtures";
import { createAccount, signInContext, submitCredentials, uniqueEmail } from "./support/accounts";
import { expectNoViolations } from "./support/axe";

/** The account screens under the same WCAG 2 A/AA checks as the main ones (e2e/accessibility.spec.ts). */
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("sign-in, sign-up and the account page have no WCAG A/AA violations", async ({ page, browser }) => {
      await page.goto("/account");
      await expect(page.getByText("You are chatting as a guest")).toBeVisible();
      await expectNoViolations(page);
      await page.goto("/join");
      await expectNoViolations(page);
      await page.goto("/login");
      await submitCredentials(page, uniqueEmail("a11y-unknown"), "not the password", "Sign in");
      await expect(page.getByRole("alert")).toBeVisible();
      await expectNoViolations(page);

      const account = await createAccount(uniqueEmail(`a11y-${colorScheme}`));
      const elsewhere = await browser.newContext();
      try {
        await signInContext(elsewhere, account);
        await signInContext(page.context(), account);
        await page.goto("/account");
        await expect(page.getByRole("button", { name: "Sign out everywhere else" })).toBeVisible();
        await page.getByLabel("Current password").fill("not the password");
        await page.getByLabel("New password").fill("a new password");
        await page.getByRole("button", { name: "Change password" }).click();
        await expect(page.getByText("That is not your current password.")).toBeVisible();
        await expectNoViolations(page);
      } finally {
        await elsewhere.close();
      }
    });
  });
}
