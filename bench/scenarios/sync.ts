import type { RunningServer } from "#bench/lib/app-process";
import type { RequestRow } from "#bench/lib/results";
import type { Fixture } from "#bench/lib/seed";
import type { BenchContext } from "./context";
import { measureRoute, syncEntries } from "./common";

/**
 * The sync check every visible tab sends every few seconds: GET /resources/sync?chat=<id>
 * with the session cookie, answered with the versions of the list and the open chat. The
 * requests rotate over every seeded user (each with their own keys), so Redis sees a
 * realistic spread of keys rather than one hot pair.
 */
export function runSync(
  context: BenchContext,
  server: RunningServer,
  options: { variant: string; fixture: Fixture; cpu: { redis?: boolean; postgres?: boolean } },
): Promise<RequestRow> {
  return measureRoute(context, server, {
    scenario: "sync",
    name: "sync check",
    variant: options.variant,
    entries: syncEntries(options.fixture, options.fixture.users.length),
    check: { statuses: [200], reject: '"chat":null' },
    cpu: options.cpu,
  });
}
