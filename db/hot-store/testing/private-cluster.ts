import { execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { answersPing, exited, freePort, hasExited, rawCommand, spawnRedisServer } from "./private-redis";
import { CUT_OFF_REPLICAS, replicationUserArgs } from "./replication-user";

/**
 * A Redis Cluster of three masters (and, optionally, one replica each) owned by one test, on
 * free loopback ports, each node in a directory of its own so it can be killed and restarted
 * with its cluster identity (nodes.conf) and, after save(), its last snapshot. Replicas sign
 * in to their master as an ACL user of their own, so a test can cut one off (`isolateReplicas`)
 * and write what it will never see. Needs redis-server and redis-cli.
 */
export interface PrivateCluster {
  /** Seed URLs, one per node. */
  readonly urls: string[];
  readonly ports: number[];
  /** SAVE on one node: a restart after a crash loads this snapshot. */
  save(node: number): Promise<void>;
  /** SIGKILL one node, then start it again on the same port from its own directory. */
  restart(node: number): Promise<void>;
  /** The node (index) that serves `key`'s slot now. */
  nodeOf(key: string): Promise<number>;
  /** SIGKILL one node, leaving it down. */
  kill(node: number): Promise<void>;
  /** Stops replication from one master to its replicas (they cannot sign in again). */
  isolateReplicas(node: number): Promise<void>;
  /** The index of the node that serves `key`'s slot as seen by node `from`. */
  masterOf(key: string, from: number): Promise<number>;
  /** Sum of one command's calls over every node since the last resetStats(). */
  commandCalls(command: string): Promise<number>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function startPrivateCluster(options: { replicas?: boolean } = {}): Promise<PrivateCluster> {
  const root = await mkdtemp(path.join(os.tmpdir(), "parley-redis-cluster-"));
  const count = options.replicas ? 6 : 3;
  const ports: number[] = [];
  for (let index = 0; index < count; index += 1) ports.push(await freePort());
  const auth = replicationUserArgs();
  const spawnNode = (index: number) => {
    const port = ports[index];
    const dir = path.join(root, String(index));
    return run("mkdir", ["-p", dir]).then(() =>
      spawnRedisServer(
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "2000",
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
          "--repl-diskless-sync-delay",
          "0",
          ...auth,
        ],
        () => answersPing(port),
        `cluster node on port ${port}`,
      ),
    );
  };
  const nodes: ChildProcess[] = await Promise.all(ports.map((_, index) => spawnNode(index)));
  const cli = (...args: string[]) => run("redis-cli", args, { timeout: 20_000 });
  await cli(
    "--cluster",
    "create",
    ...ports.map((port) => `127.0.0.1:${port}`),
    "--cluster-replicas",
    options.replicas ? "1" : "0",
    "--cluster-yes",
  );
  await waitForState(ports);

  const kill = async (child: ChildProcess) => {
    if (hasExited(child)) return;
    child.kill("SIGKILL");
    await exited(child);
  };

  return {
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    ports,
    async save(node) {
      const reply = await rawCommand(ports[node], "SAVE");
      if (!reply.startsWith("+OK")) throw new Error(`SAVE failed: ${reply}`);
    },
    async restart(node) {
      await kill(nodes[node]);
      nodes[node] = await spawnNode(node);
      await waitForState(ports);
    },
    async kill(node) {
      await kill(nodes[node]);
    },
    async isolateReplicas(node) {
      for (const command of CUT_OFF_REPLICAS) await cli("-p", String(ports[node]), ...command);
    },
    async masterOf(key, from) {
      const slot = Number((await cli("-p", String(ports[from]), "CLUSTER", "KEYSLOT", key)).stdout.trim());
      const table = (await cli("-p", String(ports[from]), "CLUSTER", "NODES")).stdout;
      for (const row of table.split("\n")) {
        const fields = row.split(" ");
        if (!fields[2]?.includes("master") || fields[2].includes("fail") || !ownsSlot(row, slot)) continue;
        const port = Number(fields[1].split("@")[0].split(":")[1]);
        return ports.indexOf(port);
      }
      return -1;
    },
    async nodeOf(key) {
      const slot = Number((await cli("-p", String(ports[0]), "CLUSTER", "KEYSLOT", key)).stdout.trim());
      for (let index = 0; index < ports.length; index += 1) {
        const table = (await cli("-p", String(ports[index]), "CLUSTER", "NODES")).stdout;
        const own = table.split("\n").find((row) => row.split(" ")[2]?.includes("myself"));
        if (own && ownsSlot(own, slot)) return index;
      }
      throw new Error(`no node owns slot ${slot}`);
    },
    async commandCalls(command) {
      let total = 0;
      for (const port of ports) {
        const stats = (await cli("-p", String(port), "INFO", "commandstats")).stdout;
        const match = new RegExp(`^cmdstat_${command.toLowerCase()}:calls=(\\d+)`, "m").exec(stats);
        total += match ? Number(match[1]) : 0;
      }
      return total;
    },
    async resetStats() {
      for (const port of ports) await cli("-p", String(port), "CONFIG", "RESETSTAT");
    },
    async stop() {
      await Promise.all(nodes.map(kill));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Every node reports cluster_state:ok (slots assigned and agreed). */
async function waitForState(ports: number[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const states = await Promise.all(ports.map((port) => rawCommand(port, "CLUSTER INFO").catch(() => "")));
    if (states.every((state) => state.includes("cluster_state:ok"))) return;
    if (Date.now() > deadline) throw new Error(`cluster not ok within 15 s: ${states.join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a CLUSTER NODES line lists `slot` among its ranges. */
function ownsSlot(line: string, slot: number): boolean {
  return line
    .split(" ")
    .slice(8)
    .some((range) => {
      const [from, to] = range.split("-").map(Number);
      return slot >= from && slot <= (to ?? from);
    });
}
