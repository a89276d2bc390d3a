import { CATEGORIES, OFF_MAIN_THREAD } from "#bench/profile/attribute";
import type { RouteProfile } from "./results";

/**
 * The per-route CPU breakdown: one column per profiled route, one row per category, each
 * cell that category's share of the process's CPU for the route (the shares of a column add
 * up to 100%). Pure, like report.ts.
 */
function cell(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "–" : `${(value * 100).toFixed(1)}%`;
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export function renderProfiles(profiles: RouteProfile[]): string {
  if (profiles.length === 0) return "";
  const ok = profiles.filter((profile) => profile.status === "ok" && profile.shares);
  const heading = (profile: RouteProfile) =>
    `${profile.route}${profile.variant === "Parley + Redis" ? "" : " (response cache off)"}`;
  const lines = [
    "## Where the CPU goes, per route (V8 profile)",
    "",
    "A server started with `--inspect`, one route at a time under the same load as above; V8's sampling profiler ran over the measured part only. Each sample's self time is charged to its category from the leaf frame up (a builtin to its caller; JSON.parse/stringify to serialization). Off the main thread = the process's other threads from /proc (gzip runs there, in libuv's pool, with concurrent GC and the compiler): a profile cannot see inside them. Shares of the process's CPU; each column adds up to 100%.",
    "",
  ];
  if (ok.length > 0) {
    const rows = [...CATEGORIES, OFF_MAIN_THREAD].map((category) => [
      category,
      ...ok.map((profile) => cell(profile.shares?.[category])),
    ]);
    rows.push([
      "**CPU ms per request** (main thread)",
      ...ok.map(
        (profile) =>
          `${profile.cpuMsPerRequest?.toFixed(2) ?? "–"} (${profile.mainThreadMsPerRequest?.toFixed(2) ?? "–"})`,
      ),
    ]);
    const header = ["Category", ...ok.map(heading)];
    lines.push(
      `| ${header.map(escape).join(" | ")} |`,
      `| ${header.map(() => "---").join(" | ")} |`,
      ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
      "",
      "Heaviest frames by self time (ms per request):",
      "",
      ...ok.map(
        (profile) =>
          `- ${heading(profile)}: ${(profile.top ?? [])
            .slice(0, 5)
            .map(([frame, ms]) => `\`${frame}\` ${ms.toFixed(3)}`)
            .join("; ")}`,
      ),
    );
  }
  for (const profile of profiles.filter((entry) => entry.status !== "ok")) {
    lines.push(`- ${heading(profile)}: ${profile.note ?? profile.status}`);
  }
  return lines.join("\n");
}
