/**
 * Polls `check` until it returns true, or throws after `timeoutMs`. For conditions that
 * become true on their own (a reconnect), where a fixed sleep would be slow or flaky.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  {
    timeoutMs = 5000,
    intervalMs = 25,
    what = "condition",
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
