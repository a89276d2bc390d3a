/**
 * Attributes a V8 CPU profile's self time to what a request's CPU goes to, so that a
 * regression shows where it came from. Pure (a profile in, milliseconds per category out),
 * so it is unit-tested on a small synthetic profile.
 *
 * Each sample is charged to one category, from its leaf frame up: a frame with no script
 * (a V8 builtin such as Array.prototype.map or a RegExp exec) is charged to the nearest caller
 * that has one, except JSON.parse/JSON.stringify, which are serialization wherever they are
 * called from. Pseudo-frames: "(garbage collector)" is GC, "(idle)" is not CPU at all (left
 * out), "(program)" (V8 and native work outside JavaScript) and "(root)" are "other".
 */
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; scriptId?: string | number; lineNumber?: number };
  children?: number[];
  hitCount?: number;
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export const CATEGORIES = [
  "gzip (zlib)",
  "render (react-dom, components)",
  "serialization (turbo-stream, JSON)",
  "data access (pg, redis, kysely, db/)",
  "Remix runtime and routing",
  "stream and Request plumbing (undici, web streams, node:http)",
  "app code (build/, app/, server/)",
  "GC",
  "other",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** The report's extra row: the process's other threads, which a main-thread profile cannot see. */
export const OFF_MAIN_THREAD = "off the main thread (gzip in libuv's pool, concurrent GC, compiler)";

const RULES: Array<[Category, RegExp]> = [
  ["gzip (zlib)", /(^|[/:])zlib(\.js)?$|internal\/zlib/],
  ["render (react-dom, components)", /\/node_modules\/(react-dom|react|@remix-run\/react)\//],
  ["serialization (turbo-stream, JSON)", /\/node_modules\/turbo-stream\//],
  [
    "data access (pg, redis, kysely, db/)",
    /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-\w+|kysely|redis|@redis\/[\w-]+|@electric-sql\/pglite|cluster-key-slot)\/|^project:\/db\//,
  ],
  ["Remix runtime and routing", /\/node_modules\/@remix-run\/(server-runtime|router|node)\//],
  [
    "stream and Request plumbing (undici, web streams, node:http)",
    /undici|webstreams|node:_http_|node:http|node:net|node:stream|internal\/streams|internal\/stream_base_commons|internal\/http|node:internal\/url|node:buffer|node:events|node:internal\/abort_controller/,
  ],
  ["other", /\/node_modules\//],
  ["app code (build/, app/, server/)", /^project:\/(build|app|server)\//],
];

/** Frame URLs inside the project become "project:/<path>", so the rules never see where it is checked out. */
export function projectUrl(url: string, root: string): string {
  const prefix = `file://${root.replace(/\/$/, "")}/`;
  if (url.startsWith(prefix) && !url.includes("/node_modules/"))
    return `project:/${url.slice(prefix.length)}`;
  return url;
}

/** The category of one frame, or null when the frame says nothing (a builtin with no script). */
export function frameCategory(frame: CpuProfileNode["callFrame"]): Category | "idle" | null {
  const name = frame.functionName;
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)") return "idle";
  if (name === "(program)" || name === "(root)") return "other";
  if (!frame.url) {
    if (name === "stringify" || name === "parse" || name === "JSONParse" || name === "JSONStringify")
      return "serialization (turbo-stream, JSON)";
    return null;
  }
  for (const [category, pattern] of RULES) if (pattern.test(frame.url)) return category;
  return "other";
}

export interface Attribution {
  /** Milliseconds of sampled CPU per category (idle left out). */
  ms: Record<Category, number>;
  /** Sampled CPU in total (ms) and the number of samples that were not idle. */
  totalMs: number;
  samples: number;
  /** The heaviest self-time frames, "function url:line" with ms, for the report's detail. */
  top: Array<[string, number]>;
}

export function attributeProfile(profile: CpuProfile, root: string, topCount = 8): Attribution {
  const byId = new Map(
    profile.nodes.map((node) => [
      node.id,
      { ...node, callFrame: { ...node.callFrame, url: projectUrl(node.callFrame.url, root) } },
    ]),
  );
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOf = new Map<number, Category | "idle">();
  const resolve = (id: number): Category | "idle" => {
    const known = categoryOf.get(id);
    if (known) return known;
    const node = byId.get(id);
    const own = node ? frameCategory(node.callFrame) : "other";
    const parentId = parent.get(id);
    const category = own ?? (parentId === undefined ? "other" : resolve(parentId));
    categoryOf.set(id, category);
    return category;
  };

  // Every sample weighs the same, the profile's mean interval: the gap before a sample also
  // holds time the thread was not scheduled at all (on a busy machine, most of it), which is
  // not CPU. Hit counts stand in when a profile has no sample list.
  const counts: Array<[number, number]> =
    profile.samples && profile.samples.length > 0
      ? profile.samples.map((id) => [id, 1])
      : profile.nodes.map((node) => [node.id, node.hitCount ?? 0]);
  const sampleCount = counts.reduce((sum, [, count]) => sum + count, 0);
  const intervalMicros = sampleCount > 0 ? (profile.endTime - profile.startTime) / sampleCount : 0;
  const hits = counts.map(([id, count]): [number, number] => [id, count * intervalMicros]);
  /** The nearest frame with a script, for naming a builtin by where it was called. */
  const caller = (id: number): CpuProfileNode["callFrame"] | undefined => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame?.url) return frame;
    }
    return undefined;
  };
  const describe = (frame: CpuProfileNode["callFrame"]) =>
    `${frame.functionName || "(anonymous)"} ${frame.url.replace(/^.*\/node_modules\//, "").replace(/^project:\//, "")}:${(frame.lineNumber ?? 0) + 1}`;

  const ms = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>;
  const frames = new Map<string, number>();
  let samples = 0;
  for (const [id, micros] of hits) {
    const category = resolve(id);
    if (category === "idle") continue;
    if (micros === 0) continue;
    ms[category] += micros / 1000;
    samples += micros / intervalMicros;
    const frame = byId.get(id)?.callFrame;
    if (frame) {
      const called = frame.url ? undefined : caller(id);
      const key = frame.url
        ? describe(frame)
        : `${frame.functionName || "(anonymous)"}${called ? ` (from ${describe(called)})` : ""}`;
      frames.set(key, (frames.get(key) ?? 0) + micros / 1000);
    }
  }
  const totalMs = CATEGORIES.reduce((sum, category) => sum + ms[category], 0);
  const top = [...frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, topCount);
  return { ms, totalMs, samples, top };
}
