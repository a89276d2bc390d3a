import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { createRoutePatterns } from "./route-patterns";

// The shape of Parley's own route table: pathless layouts (_app, _auth), an index route,
// dynamic segments and a literal that competes with one.
const route = (id: string, parentId: string | undefined, path?: string, index?: boolean) => ({
  [id]: { id, parentId, path, index, module: {} },
});
const routes = {
  ...route("root", undefined, ""),
  ...route("routes/_index", "root", undefined, true),
  ...route("routes/_app", "root"),
  ...route("routes/_app.chats._index", "routes/_app", "chats", false),
  ...route("routes/_app.chats.$chatId", "routes/_app", "chats/:chatId"),
  ...route("routes/_app.chats.$chatId_.delete", "routes/_app", "chats/:chatId/delete"),
  ...route("routes/_app.projects.new", "routes/_app", "projects/new"),
  ...route("routes/_app.projects.$projectId", "routes/_app", "projects/:projectId"),
  ...route("routes/$", "root", "*"),
} as unknown as ServerBuild["routes"];

describe("route patterns for metrics labels", () => {
  const patternOf = createRoutePatterns(routes);

  it("names a chat's URL by its pattern, never by its id", () => {
    expect(patternOf("/chats/0190f5c2-7b1e-7cc0-9a57-3f1f4c0f1a2b")).toBe("/chats/:chatId");
    expect(patternOf("/chats/abc/delete")).toBe("/chats/:chatId/delete");
    expect(patternOf("/chats")).toBe("/chats");
    expect(patternOf("/")).toBe("/");
  });

  it("prefers a literal segment to a dynamic one", () => {
    expect(patternOf("/projects/new")).toBe("/projects/new");
    expect(patternOf("/projects/p1")).toBe("/projects/:projectId");
  });

  it("gives paths no route serves one bounded label", () => {
    const withoutSplat = createRoutePatterns(
      Object.fromEntries(Object.entries(routes).filter(([id]) => id !== "routes/$")),
    );
    expect(withoutSplat("/wp-admin/setup.php")).toBe("unmatched");
    expect(withoutSplat("/chats/a/b/c")).toBe("unmatched");
    expect(patternOf("/wp-admin/setup.php")).toBe("/*");
  });
});
