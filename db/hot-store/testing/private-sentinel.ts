import { type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient } from "redis";
import { answersPing, exited, freePort, hasExited, spawnRedisServer } from "./private-redis";
import { CUT_OFF_REPLICAS, replicationUserArgs } from "./replication-user";

/**
 * A master, one replica and one Sentinel watching them, owned by one test on free loopback
 * ports. The replica signs in to the master as an ACL user of its own, so a test can cut it
 * off (`isolateReplica`) and write what it will never see, then kill the master: Sentinel
 * promotes a replica that lags, as happens in a real failover. Needs redis-server.
 */
export interface PrivateSentinel {
  readonly name: string;
  readonly sentinelUrl: string;
  /** Ports of the data servers: [initial master, replica]. */
  readonly ports: number[];
  /** The port Sentinel names as master now. */
  masterPort(): Promise<number>;
  /** Stops replication to the replica (its link is cut and cannot sign in again). */
  isolateReplica(): Promise<void>;
  /** SIGKILL the initial master, as in a lost host. */
  killMaster(): Promise<void>;
  /** Run a command on one data server. */
  command(port: number, args: string[]): Promise<unknown>;
  stop(): Promise<void>;
}

const NAME = "parley";

export async function startPrivateSentinel(): Promise<PrivateSentinel> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "parley-redis-sentinel-"));
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  // No 5 s wait before a full sync (the default, to batch replicas that connect together).
  const common = [
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--repl-diskless-sync-delay",
    "0",
  ];
  // Both data servers know the replication user, since either may become the master.
  const auth = replicationUserArgs();
  const data = (port: number, extra: string[]) =>
    spawnRedisServer(
      ["--port", String(port), ...common, ...auth, ...extra],
      () => answersPing(port),
      `redis on ${port}`,
    );
  const processes: ChildProcess[] = [];
  processes.push(await data(masterPort, ["--dbfilename", "master.rdb"]));
  processes.push(
    await data(replicaPort, ["--dbfilename", "replica.rdb", "--replicaof", "127.0.0.1", String(masterPort)]),
  );
  const config = path.join(dir, "sentinel.conf");
  await writeFile(
    config,
    [
      `port ${sentinelPort}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${NAME} 500`,
      `sentinel failover-timeout ${NAME} 5000`,
      // Known from the start: Sentinel would otherwise learn of it from the master's INFO, up to 10 s later.
      `sentinel known-replica ${NAME} 127.0.0.1 ${replicaPort}`,
      "",
    ].join("\n"),
  );
  processes.push(
    await spawnRedisServer(
      [config, "--sentinel"],
      () => answersPing(sentinelPort),
      `sentinel on ${sentinelPort}`,
    ),
  );

  const command = async (port: number, args: string[]): Promise<unknown> => {
    const client = createClient({ socket: { port, host: "127.0.0.1", reconnectStrategy: false } });
    client.on("error", () => {});
    await client.connect();
    try {
      return await client.sendCommand(args);
    } finally {
      client.destroy();
    }
  };
  await waitFor(async () => {
    const info = String(await command(replicaPort, ["INFO", "replication"]));
    return info.includes("master_link_status:up");
  }, "replica in sync");
  await waitFor(async () => {
    const replicas = (await command(sentinelPort, ["SENTINEL", "REPLICAS", NAME])) as unknown[];
    return replicas.length === 1;
  }, "sentinel sees the replica");

  return {
    name: NAME,
    sentinelUrl: `redis://127.0.0.1:${sentinelPort}`,
    ports: [masterPort, replicaPort],
    async masterPort() {
      const [, port] = (await command(sentinelPort, [
        "SENTINEL",
        "GET-MASTER-ADDR-BY-NAME",
        NAME,
      ])) as string[];
      return Number(port);
    },
    async isolateReplica() {
      for (const args of CUT_OFF_REPLICAS) await command(masterPort, args);
      await waitFor(async () => {
        const info = String(await command(replicaPort, ["INFO", "replication"]));
        return info.includes("master_link_status:down");
      }, "replica cut off");
    },
    async killMaster() {
      const master = processes[0];
      if (!hasExited(master)) {
        master.kill("SIGKILL");
        await exited(master);
      }
    },
    command,
    async stop() {
      for (const child of processes) {
        if (hasExited(child)) continue;
        child.kill("SIGKILL");
        await exited(child);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
