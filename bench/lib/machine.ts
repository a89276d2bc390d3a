import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** What the numbers were measured on. Every result file carries one. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  redis: string;
  pglite: string;
  autocannon: string;
  openFilesLimit: string;
  ephemeralPorts: string;
  hostname: string;
}

function readVersion(root: string, pkg: string): string {
  try {
    return (
      JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
  } catch {
    return "unknown";
  }
}

function shell(command: string): string {
  try {
    return execFileSync("bash", ["-c", command], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export function collectMachine(root: string, versions: { postgres: string; redis: string }): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: versions.postgres,
    redis: versions.redis,
    pglite: readVersion(root, "@electric-sql/pglite"),
    autocannon: readVersion(root, "autocannon"),
    openFilesLimit: shell('echo "soft $(ulimit -Sn), hard $(ulimit -Hn)"'),
    ephemeralPorts: shell("cat /proc/sys/net/ipv4/ip_local_port_range | tr '\\t' '-'"),
    hostname: os.hostname(),
  };
}
