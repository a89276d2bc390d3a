import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * WCAG 2 A/AA checks by axe-core, with 2.5.3 "label in name" switched on: axe tags it wcag21a
 * but, as an experimental rule, runs it only when asked by name. It catches a control whose
 * accessible name does not contain its visible text, which speech-input users would say and
 * not be understood. The check that the rule ran guards the option.
 */
const LABEL_IN_NAME = "label-content-name-mismatch";

export async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      rules: { [LABEL_IN_NAME]: { enabled: true } },
    })
    .analyze();
  const ran = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable];
  expect(ran.map((rule) => rule.id)).toContain(LABEL_IN_NAME);
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
  }));
  expect(summary).toEqual([]);
}
