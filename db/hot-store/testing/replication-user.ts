/**
 * Replicas of the private Redis servers (Sentinel, Cluster) sign in to their master as an ACL
 * user of their own, so a test can cut them off (switch that user off and drop their links),
 * write what they will never see, and then promote one: a failover to a replica that lags.
 */
const REPLICATION_USER = "replicator";

/**
 * redis-server arguments that define the replication user (every data server knows it, since
 * any may become a master) and make the server sign in as it when it replicates.
 */
export function replicationUserArgs(): string[] {
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  return [
    "--user",
    REPLICATION_USER,
    "on",
    `>${password}`,
    "+@all",
    "~*",
    "--masteruser",
    REPLICATION_USER,
    "--masterauth",
    password,
  ];
}

/** Commands to run on a master to cut its replicas off: they cannot sign in again. */
export const CUT_OFF_REPLICAS: readonly string[][] = [
  ["ACL", "SETUSER", REPLICATION_USER, "off"],
  ["CLIENT", "KILL", "TYPE", "replica"],
];
