import { execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { answersPing, exited, freePort, hasExited, rawCommand, spawnRedisServer } from "./private-redis";

/**
 * A Redis Cluster of three masters (no replicas) owned by one test, on free loopback ports,
 * each node in a directory of its own so it can be killed and restarted with its cluster
 * identity (nodes.conf) and, after save(), its last snapshot. Needs redis-server and redis-cli.
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
  /** Sum of one command's calls over every node since the last resetStats(). */
  commandCalls(command: string): Promise<number>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const root = await mkdtemp(path.join(os.tmpdir(), "parley-redis-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
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
    "0",
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
