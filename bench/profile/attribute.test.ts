import { describe, expect, it } from "vitest";
import { attributeProfile, frameCategory, projectUrl, type CpuProfile } from "./attribute";

const ROOT = "/srv/parley";
const file = (path: string) => `file://${ROOT}/${path}`;

/**
 * root ─ handler (server/) ─ renderToString (react-dom) ─ Array.map (builtin, no script)
 *      │                   └ stringify (JSON builtin)
 *      │                   └ query (pg) ─ loader (build/, called back from pg)
 *      ├ (garbage collector)   ├ (idle)   ├ (program)   └ deflate (node:zlib)
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "" }, children: [2, 7, 8, 9, 10] },
    {
      id: 2,
      callFrame: { functionName: "handler", url: file("server/parley-server.ts") },
      children: [3, 5, 6],
    },
    {
      id: 3,
      callFrame: { functionName: "renderToString", url: file("node_modules/react-dom/cjs/server.js") },
      children: [4],
    },
    { id: 4, callFrame: { functionName: "map", url: "" } },
    { id: 5, callFrame: { functionName: "stringify", url: "" } },
    {
      id: 6,
      callFrame: { functionName: "query", url: file("node_modules/pg/lib/client.js") },
      children: [11],
    },
    { id: 7, callFrame: { functionName: "(garbage collector)", url: "" } },
    { id: 8, callFrame: { functionName: "(idle)", url: "" } },
    { id: 9, callFrame: { functionName: "(program)", url: "" } },
    { id: 10, callFrame: { functionName: "deflate", url: "node:zlib" } },
    { id: 11, callFrame: { functionName: "loader", url: file("build/index.js") } },
  ],
  startTime: 0,
  endTime: 10_000,
  // Ten samples over 10 ms: each weighs 1 ms, whatever the gap before it (the 5 ms gap
  // before the idle sample is time the thread may not have been scheduled at all).
  samples: [4, 4, 3, 5, 6, 11, 7, 8, 9, 10],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 5000, 1000, 1000],
};

describe("attributeProfile", () => {
  const result = attributeProfile(profile, ROOT);

  it("charges a builtin with no script to its caller, and JSON to serialization", () => {
    // Two map samples and renderToString itself: render.
    expect(result.ms["render (react-dom, components)"]).toBeCloseTo(3, 5);
    expect(result.ms["serialization (turbo-stream, JSON)"]).toBeCloseTo(1, 5);
  });

  it("sorts the rest by library and project folder, idle left out", () => {
    expect(result.ms["data access (pg, redis, kysely, db/)"]).toBeCloseTo(1, 5);
    expect(result.ms["app code (build/, app/, server/)"]).toBeCloseTo(1, 5);
    expect(result.ms.GC).toBeCloseTo(1, 5);
    expect(result.ms.other).toBeCloseTo(1, 5); // (program)
    expect(result.ms["gzip (zlib)"]).toBeCloseTo(1, 5);
    expect(result.samples).toBe(9);
    expect(result.totalMs).toBeCloseTo(9, 5);
  });

  it("lists the heaviest frames by self time", () => {
    // A builtin is named with the frame it was called from.
    expect(result.top[0]).toEqual(["map (from renderToString react-dom/cjs/server.js:1)", 2]);
    expect(result.top.map(([frame]) => frame)).toContain("query pg/lib/client.js:1");
    expect(result.top.map(([frame]) => frame)).toContain("(garbage collector)");
  });

  it("falls back on hit counts when a profile has no samples", () => {
    const counted = attributeProfile(
      {
        ...profile,
        samples: undefined,
        timeDeltas: undefined,
        nodes: profile.nodes.map((node) => ({
          ...node,
          hitCount: node.id === 3 ? 3 : node.id === 6 ? 1 : 0,
        })),
        endTime: 4_000,
      },
      ROOT,
    );
    expect(counted.ms["render (react-dom, components)"]).toBeCloseTo(3, 5);
    expect(counted.ms["data access (pg, redis, kysely, db/)"]).toBeCloseTo(1, 5);
  });
});

describe("frameCategory", () => {
  it("never takes the checkout's own path for a project folder", () => {
    // A checkout under a folder named app/ or db/ must not make every library "app code".
    const root = "/home/me/app/db";
    const url = projectUrl(`file://${root}/node_modules/semver/index.js`, root);
    expect(frameCategory({ functionName: "satisfies", url })).toBe("other");
    expect(
      frameCategory({ functionName: "read", url: projectUrl(`file://${root}/db/cache/x.ts`, root) }),
    ).toBe("data access (pg, redis, kysely, db/)");
  });

  it("knows Node's own plumbing and Remix's runtime", () => {
    expect(frameCategory({ functionName: "pull", url: "node:internal/webstreams/readablestream" })).toMatch(
      /plumbing/,
    );
    expect(frameCategory({ functionName: "fetch", url: "node:internal/deps/undici/undici" })).toMatch(
      /plumbing/,
    );
    expect(
      frameCategory({
        functionName: "matchRoutes",
        url: "file:///x/node_modules/@remix-run/router/dist/router.cjs.js",
      }),
    ).toBe("Remix runtime and routing");
    expect(
      frameCategory({
        functionName: "encode",
        url: "file:///x/node_modules/turbo-stream/dist/turbo-stream.js",
      }),
    ).toBe("serialization (turbo-stream, JSON)");
  });
});
