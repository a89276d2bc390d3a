import type { RunningServer } from "#bench/lib/app-process";
import { cpuSeconds, waitForQuiet } from "#bench/lib/process-stats";
import type { RequestRow } from "#bench/lib/results";
import type { BenchContext } from "./context";
import { measureRoute, sendEntries } from "./common";

/**
 * Sending a message: the route action (offline provider). Each send commits the user message
 * and a pending assistant reply, and starts the reply's generation in the background, so the
 * server keeps working after the load stops; CPU per send is reported twice: during the run,
 * and including the background work until the server is quiet again.
 */
export async function runSend(
  context: BenchContext,
  server: RunningServer,
  via: "form" | "fetcher",
): Promise<RequestRow> {
  const row = await measureRoute(context, server, {
    scenario: "send",
    name: via === "form" ? "send (no-JS form post, 302)" : "send (fetcher post, 200)",
    variant: "Parley + Redis",
    entries: sendEntries(context.fixture, context.sendSlots.take(context.quick ? 500 : 5000), via),
    check: { statuses: via === "form" ? [302, 303] : [200] },
    cpu: { redis: true, postgres: true },
  });
  if (row.status === "ok" && row.rps !== undefined && row.cpuMsPerRequest !== undefined) {
    const afterRun = cpuSeconds(server.pid);
    const quiet = await waitForQuiet(server.pid, { maxMs: context.quick ? 2_500 : 45_000 });
    const background = cpuSeconds(server.pid) - afterRun;
    const requests = Object.values(row.statusCodes ?? {}).reduce((sum, count) => sum + count, 0);
    row.cpuMsPerRequestInclBackground = row.cpuMsPerRequest + (background * 1000) / requests;
    row.backgroundQuiet = quiet.quiet;
    context.log(
      `  background work after the sends: ${background.toFixed(2)} CPU s over ${(quiet.waitedMs / 1000).toFixed(1)} s (${quiet.quiet ? "quiet" : "still busy"})`,
    );
  }
  return row;
}
