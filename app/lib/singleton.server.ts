/**
 * One instance per process, whoever asks. The production server (server/) and the Remix
 * bundle each load their own copy of these modules, and the dev server re-imports the bundle
 * on every change; keeping the instance on globalThis makes them all share one pool and one
 * Redis client instead of opening a new one per copy.
 */
export function singleton<T>(name: string, create: () => T): T {
  const registry = ((globalThis as { __parleySingletons?: Map<string, unknown> }).__parleySingletons ??=
    new Map());
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}
