import path from "node:path";
import { readFileSync } from "node:fs";
import { startParley, type RunningServer } from "#bench/lib/app-process";
import { runLoad } from "#bench/lib/autocannon-run";
import type { LoadEntry } from "#bench/lib/load-types";
import { NO_RESPONSE_CACHE, type RouteProfile } from "#bench/lib/results";
import { attributeProfile, CATEGORIES, OFF_MAIN_THREAD, type CpuProfile } from "#bench/profile/attribute";
import { Profiler, threadCpu, type ThreadCpu } from "#bench/profile/profiler";
import { paths, type BenchContext } from "./context";
import { chatDataEntries, chatDocumentEntries, listDataEntries, syncEntries, type Tagged } from "./common";

/**
 * Where each route's CPU goes: a Parley + Redis server started with `--inspect` (on a free
 * 127.0.0.1 port) is loaded with one route at a time, as in the load runs (cold pass,
 * warm-up), and V8's sampling profiler runs over the measured part only. Self time is
 * attributed by profile/attribute.ts; the CPU of the server's other threads (gzip in libuv's
 * pool, concurrent GC, the compiler), which a profile of the main thread cannot see, is read
 * from /proc and shown as its own share. The second configuration (full run only) turns the
 * response cache off, so a page's full cost (render, serialization, data access) shows even
 * where the default serves it from the cache. Shares, not times: they hold across machines.
 */

/** Fine enough for a 1.5 s window, coarse enough that sampling adds little to the main thread. */
const SAMPLING_MICROS = 500;

interface ProfiledRoute {
  route: string;
  entries: Tagged[];
}

export async function runProfiles(context: BenchContext): Promise<RouteProfile[]> {
  const fixture = context.fixture;
  const chats = context.quick ? 10 : 100;
  const users = context.quick ? 100 : 500;
  const pages: ProfiledRoute[] = [
    { route: "chat document", entries: chatDocumentEntries(fixture, chats) },
    { route: "chat data request", entries: chatDataEntries(fixture, chats) },
    { route: "chat list data request", entries: listDataEntries(fixture, users) },
  ];
  const configurations: Array<{ variant: string; extra: Record<string, string>; routes: ProfiledRoute[] }> = [
    {
      variant: "Parley + Redis",
      extra: {},
      routes: [...pages, { route: "sync check", entries: syncEntries(fixture, users) }],
    },
    // The full run only: --quick stays near three minutes.
    ...(context.quick
      ? []
      : [{ variant: NO_RESPONSE_CACHE, extra: { RESPONSE_CACHE_MAX_BYTES: "0" }, routes: pages }]),
  ];
  const profiles: RouteProfile[] = [];
  for (const configuration of configurations) {
    let server: RunningServer | null = null;
    let profiler: Profiler | null = null;
    try {
      server = await startParley(
        `parley-profile${configuration.extra.RESPONSE_CACHE_MAX_BYTES === "0" ? "-no-response-cache" : ""}`,
        {
          databaseUrl: context.db.url,
          redisUrl: context.redis.url,
          sessionSecret: context.sessionSecret,
          dataDir: path.join(context.tmpDir, "app-profile"),
          extra: configuration.extra,
        },
        paths(context),
        { inspect: true },
      );
      profiler = await Profiler.attach(
        paths(context),
        `profiler-${profiles.length}`,
        server.inspectorUrl!,
        SAMPLING_MICROS,
      );
      for (const route of configuration.routes) {
        profiles.push(await profileRoute(context, server, profiler, configuration.variant, route));
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`  profile [${configuration.variant}]: error: ${message}`);
      profiles.push({
        route: "every route",
        variant: configuration.variant,
        status: "error",
        note: `error: ${message.split("\n")[0]}`,
      });
    } finally {
      await profiler?.close();
      await server?.stop();
    }
  }
  return profiles;
}

async function profileRoute(
  context: BenchContext,
  server: RunningServer,
  profiler: Profiler,
  variant: string,
  route: ProfiledRoute,
): Promise<RouteProfile> {
  const base: RouteProfile = { route: route.route, variant, status: "ok" };
  if (route.entries.length === 0) return { ...base, status: "unavailable", note: "nothing seeded for it" };
  const file = path.join(
    context.logDir,
    `${variant === NO_RESPONSE_CACHE ? "miss-" : ""}${route.route.replace(/\W+/g, "-")}.cpuprofile`,
  );
  let before: ThreadCpu | null = null;
  let starting: Promise<void> = Promise.resolve();
  const result = await runLoad(
    {
      baseUrl: server.baseUrl,
      connections: context.load.connections,
      durationSec: context.quick ? 1 : 5,
      warmupSec: context.load.warmupSec,
      entries: route.entries.map(({ marker: _marker, ...entry }): LoadEntry => entry),
      coldPass: true,
    },
    server,
    paths(context),
    [],
    context.load.idleWaitMs,
    () => {
      starting = profiler.start().then(() => {
        before = threadCpu(server.pid);
      });
    },
  );
  await starting;
  const after = threadCpu(server.pid);
  await profiler.stop(file);
  if (!before || result.requests === 0) return { ...base, status: "error", note: "no request was profiled" };
  const start: ThreadCpu = before;
  const total = after.total - start.total;
  const main = after.main - start.main;
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const attribution = attributeProfile(profile, context.root);
  const mainShare = total > 0 ? Math.min(1, main / total) : 1;
  const shares: Record<string, number> = {};
  for (const category of CATEGORIES) {
    shares[category] =
      attribution.totalMs > 0 ? (attribution.ms[category] / attribution.totalMs) * mainShare : 0;
  }
  shares[OFF_MAIN_THREAD] = 1 - mainShare;
  const perRequest = (ms: number) => ms / result.requests;
  context.log(
    `  profile ${route.route} [${variant}]: ${result.requests} requests, ${perRequest(total * 1000).toFixed(2)} ms CPU/req (main thread ${perRequest(main * 1000).toFixed(2)})`,
  );
  return {
    ...base,
    requests: result.requests,
    cpuMsPerRequest: perRequest(total * 1000),
    mainThreadMsPerRequest: perRequest(main * 1000),
    shares,
    // Sampled time is not CPU time (the thread is not always scheduled): frames are shown as
    // their share of the main thread's CPU, per request.
    top: attribution.top.map(([frame, ms]) => [
      frame,
      attribution.totalMs > 0 ? perRequest((ms / attribution.totalMs) * main * 1000) : 0,
    ]),
    file,
  };
}
