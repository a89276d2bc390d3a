import { randomBytes } from "node:crypto";
import { openRedisBackend, type RedisTarget } from "./redis-backend";
import type { RaisedVersion, VersionFeed } from "./version-feed";

interface RedisVersionFeedOptions {
  target: RedisTarget;
  tlsCa?: string;
  connectTimeoutMs: number;
  /** The channel the store's version script publishes on (versionChannel). */
  channel: string;
  /** Publishes on the store's own connection; rejects when the store does not answer. */
  publish(message: string): Promise<unknown>;
  /** The current cache generation's key prefix, or null while it is not established. */
  prefix(): string | null;
  /** How often this instance sends itself a probe through Redis. */
  probeEveryMs?: number;
  logger: (msg: string) => void;
}

interface RedisVersionFeed extends VersionFeed {
  close(): Promise<void>;
}

/** The channel of version announcements: per database, since pub/sub ignores SELECT. */
export function versionChannel(target: RedisTarget): string {
  const database = target.kind === "standalone" ? Number(new URL(target.url).pathname.slice(1) || 0) : 0;
  return `parley:v1:versions:db${Number.isSafeInteger(database) ? database : 0}`;
}

/** An announcement as the version script sends it: "v", then one "key version" per line. */
function parseAnnouncement(message: string, prefix: string): RaisedVersion[] {
  const raised: RaisedVersion[] = [];
  const lines = message.split("\n");
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index];
    const space = line.lastIndexOf(" ");
    const key = line.slice(0, space);
    const version = Number(line.slice(space + 1));
    if (space > 0 && key.startsWith(prefix) && Number.isSafeInteger(version)) {
      raised.push([key.slice(prefix.length), version]);
    }
  }
  return raised;
}

/**
 * The Redis version feed: one subscription of its own (a connection in subscriber mode, or
 * the cluster's or Sentinel's pub/sub client), to the channel the version script publishes on
 * in the same atomic step as each raise.
 *
 * Live means "no announcement can have been missed since the epoch began". It ends at once on
 * any error of the subscriber's connections (a dropped socket, a killed client, a failover),
 * when a probe cannot be published (the store does not answer: other instances then read
 * Postgres, so neither may this one's memory answer), and when a probe that Redis accepted has
 * not come back within a few probe intervals (a half-open socket). It begins again, as a new
 * epoch, with the first probe that comes back: anything published after that probe reaches
 * this subscription, so what a reader reads from then on stays current.
 */
export function openRedisVersionFeed(options: RedisVersionFeedOptions): RedisVersionFeed {
  const probeEveryMs = options.probeEveryMs ?? 500;
  const deadAfterMs = probeEveryMs * 2 + 250;
  // Tells this instance's probes from every other instance's on the shared channel.
  const nonce = randomBytes(8).toString("hex");
  const listeners = new Set<(epoch: string, raised: readonly RaisedVersion[]) => void>();
  /** Probes Redis accepted and that have not come back yet: number → when sent. */
  const unanswered = new Map<number, number>();
  /** Probes that came back before Redis's reply to their PUBLISH did (another connection). */
  const early = new Set<number>();
  let stretch = 0;
  let live = false;
  let subscribed = false;
  let closed = false;
  let probes = 0;

  const backend = openRedisBackend(
    options.target,
    { connectTimeoutMs: options.connectTimeoutMs, tlsCa: options.tlsCa },
    { error: () => lose(), ready: () => void subscribe() },
  );
  const timer = setInterval(() => void probe(), probeEveryMs);
  timer.unref();

  function lose(): void {
    live = false;
    unanswered.clear();
  }

  function epoch(): string | null {
    if (!live) return null;
    const prefix = options.prefix();
    return prefix === null ? null : `${stretch}:${prefix}`;
  }

  async function subscribe(): Promise<void> {
    if (subscribed || closed) return;
    subscribed = true;
    try {
      await backend.subscribe(options.channel, onMessage);
    } catch {
      subscribed = false; // Not ready yet: the next probe tries again.
    }
  }

  function onMessage(message: string): void {
    if (message.startsWith("p ")) return onProbe(message);
    const current = epoch();
    if (current === null || !message.startsWith("v\n")) return;
    const raised = parseAnnouncement(message, options.prefix() ?? "");
    if (raised.length === 0) return;
    for (const listener of [...listeners]) listener(current, raised);
  }

  function onProbe(message: string): void {
    const [, from, number] = message.split(" ");
    if (from !== nonce) return;
    if (!unanswered.delete(Number(number))) early.add(Number(number));
    if (live) return;
    stretch += 1;
    live = true;
  }

  async function probe(): Promise<void> {
    if (closed) return;
    if (!subscribed) await subscribe();
    const now = Date.now();
    for (const sentAt of unanswered.values()) if (now - sentAt > deadAfterMs) lose();
    probes += 1;
    const number = probes;
    try {
      await options.publish(`p ${nonce} ${number}`);
      // Redis accepted it: it must come back (unless it already has).
      if (!early.delete(number) && live) unanswered.set(number, now);
    } catch {
      lose();
    }
    for (const number of early) if (number < probes - 20) early.delete(number);
  }

  return {
    epoch,
    onRaised(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      lose();
      clearInterval(timer);
      listeners.clear();
      backend.destroy();
      return Promise.resolve();
    },
  };
}
