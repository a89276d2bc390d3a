/**
 * Keys under a namespace unique to this test run, remembered so they can be deleted
 * afterwards: the Redis the tests use may be shared with other runs.
 */
export function testKeys(prefix: string) {
  const namespace = `${prefix}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
  const used = new Set<string>();
  return {
    key(suffix: string): string {
      const full = `${namespace}:${suffix}`;
      used.add(full);
      return full;
    },
    used: (): string[] => [...used],
  };
}
