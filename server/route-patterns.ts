import type { ServerBuild } from "@remix-run/node";

/**
 * Names the route pattern a URL path belongs to ("/chats/:chatId"), for metrics labels: a
 * label per raw URL would give Prometheus one series per chat. Built once from the Remix
 * build's route table; each request walks the ~30 patterns (no allocation per pattern), which
 * is cheaper than asking Remix to match again. Paths no route serves are "unmatched".
 */
export function createRoutePatterns(routes: ServerBuild["routes"]): (pathname: string) => string {
  const patterns = Object.values(routes)
    .filter((route) => route.path !== undefined || route.index)
    .map((route) => {
      const segments = fullPath(routes, route.id)
        .split("/")
        .filter((segment) => segment !== "");
      return {
        name: `/${segments.join("/")}`,
        segments,
        splat: segments.at(-1) === "*",
        // More literal segments match more narrowly ("/projects/new" beats "/projects/:projectId"),
        // and a splat matches anything, so it is tried last.
        literals: segments.filter((segment) => !segment.startsWith(":") && segment !== "*").length,
      };
    })
    .sort(
      (a, b) =>
        b.literals - a.literals || Number(a.splat) - Number(b.splat) || b.segments.length - a.segments.length,
    );

  return (pathname) => {
    const parts = pathname.split("/").filter((part) => part !== "");
    for (const pattern of patterns) {
      if (matches(pattern.segments, pattern.splat, parts)) return pattern.name;
    }
    return "unmatched";
  };
}

function fullPath(routes: ServerBuild["routes"], id: string): string {
  const route = routes[id];
  if (!route) return "";
  const own = route.path ?? "";
  return route.parentId ? `${fullPath(routes, route.parentId)}/${own}` : own;
}

function matches(segments: string[], splat: boolean, parts: string[]): boolean {
  const fixed = splat ? segments.length - 1 : segments.length;
  if (splat ? parts.length < fixed : parts.length !== fixed) return false;
  for (let i = 0; i < fixed; i++) {
    const segment = segments[i];
    if (segment.startsWith(":")) continue;
    if (segment.toLowerCase() !== parts[i].toLowerCase()) return false;
  }
  return true;
}
