import type { RunningServer } from "#bench/lib/app-process";
import { BROWSER_HEADERS, tryProbe } from "#bench/lib/http";
import type { PageWeight, RequestRow } from "#bench/lib/results";
import type { Fixture } from "#bench/lib/seed";
import type { BenchContext } from "./context";
import {
  chatDataEntries,
  chatDocumentEntries,
  listDataEntries,
  listDocumentEntries,
  measureRoute,
  type MeasureSpec,
} from "./common";

/**
 * Open a chat of 200 messages (the document a browser gets on a full load, and the data
 * request a client-side navigation or revalidation makes), and list chats, on one server.
 * run.ts calls this for Parley + Redis, Parley with the cache down, and the embedded default.
 */
export interface OpenChatOptions {
  variant: string;
  fixture: Fixture;
  includeList: boolean;
  cpu: { redis?: boolean; postgres?: boolean };
}

export async function runOpenChat(
  context: BenchContext,
  server: RunningServer,
  options: OpenChatOptions,
): Promise<RequestRow[]> {
  const chats = context.quick ? 10 : 100;
  const users = context.quick ? 100 : 500;
  const marker = (entry: { marker?: string }) => entry.marker;
  const routes: Array<Pick<MeasureSpec, "scenario" | "name" | "entries">> = [
    {
      scenario: "open-chat",
      name: "chat document (200 messages)",
      entries: chatDocumentEntries(options.fixture, chats),
    },
    {
      scenario: "open-chat",
      name: "chat data request (200 messages)",
      entries: chatDataEntries(options.fixture, chats),
    },
    ...(options.includeList && !context.quick
      ? [
          {
            scenario: "list" as const,
            name: "chat list document",
            entries: listDocumentEntries(options.fixture, users),
          },
        ]
      : []),
    ...(options.includeList
      ? [
          {
            scenario: "list" as const,
            name: "chat list data request",
            entries: listDataEntries(options.fixture, users),
          },
        ]
      : []),
  ];
  const rows: RequestRow[] = [];
  // One after the other: each measurement needs the machine to itself.
  for (const route of routes) {
    rows.push(
      await measureRoute(context, server, {
        ...route,
        variant: options.variant,
        check: { statuses: [200], marker },
        cpu: options.cpu,
      }),
    );
  }
  return rows;
}

/**
 * A first visit's transfer for one chat page: the document plus every script and stylesheet
 * it links (what a browser with an empty cache downloads), gzipped as a browser asks.
 */
export async function measurePageWeight(
  server: RunningServer,
  fixture: Fixture,
  variant: string,
): Promise<PageWeight | null> {
  const chat = fixture.busy[0];
  if (!chat) return null;
  const headers = { ...BROWSER_HEADERS, Accept: "text/html", Cookie: fixture.users[chat.userIndex].cookie };
  const gzip = await tryProbe(`${server.baseUrl}/chats/${chat.id}`, { headers });
  if (gzip.status !== 200) return null;
  const assets = new Set<string>();
  for (const match of gzip.body.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)) assets.add(match[1]);
  // Remix's inline module script imports the entry and route modules (also modulepreloaded).
  for (const match of gzip.body.matchAll(/(?:import\(?|from)\s*"(\/build\/[^"]+\.js)"/g))
    assets.add(match[1]);
  let assetsGzipBytes = 0;
  let assetsRawBytes = 0;
  const sizes: Array<[string, number, number]> = [];
  for (const asset of assets) {
    const compressed = await tryProbe(server.baseUrl + asset, { headers: { ...BROWSER_HEADERS } });
    const raw = await tryProbe(server.baseUrl + asset, {
      headers: { "User-Agent": BROWSER_HEADERS["User-Agent"] },
    });
    assetsGzipBytes += compressed.wireBytes;
    assetsRawBytes += raw.wireBytes;
    sizes.push([asset, compressed.wireBytes, raw.wireBytes]);
  }
  const rawDocument = Buffer.byteLength(gzip.body);
  return {
    variant,
    documentRawBytes: rawDocument,
    documentGzipBytes: gzip.wireBytes,
    assets: assets.size,
    assetsRawBytes,
    assetsGzipBytes,
    totalGzipBytes: gzip.wireBytes + assetsGzipBytes,
    totalRawBytes: rawDocument + assetsRawBytes,
    largestAssets: sizes.sort((a, b) => b[1] - a[1]).slice(0, 4),
  };
}
