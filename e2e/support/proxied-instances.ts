import { startAppInstance, type AppInstance } from "./app-instance";
import { startNginx, type Nginx } from "./nginx";

/**
 * Several Parley instances on the e2e Postgres and Redis behind one nginx, round-robin: what
 * the Compose set-up runs, on loopback ports. Each instance names itself in X-Parley-Instance.
 */
export interface ProxiedInstances {
  /** nginx's address: the only one a browser under test talks to. */
  url: string;
  nginx: Nginx;
  instances: AppInstance[];
  /** Each instance's current X-Parley-Instance (a restarted instance has a new one). */
  ids: string[];
  /** SIGTERM (graceful shutdown) to instance `index`, then starts it again on its port: how long each took. */
  restart(index: number): Promise<{ stopMs: number; startMs: number }>;
  stop(): Promise<void>;
}

/** Generous: two instances start together, beside the default project's tests, on 2 cores. */
const READY_WITHIN_MS = 60_000;

export async function startProxiedInstances(
  proxyPort: number,
  ports: number[],
  overrides: Record<string, string> = {},
): Promise<ProxiedInstances> {
  const instances = await Promise.all(
    ports.map((port) => startAppInstance(port, overrides, { readyWithinMs: READY_WITHIN_MS })),
  );
  const ids = await Promise.all(instances.map((instance) => instanceIdOf(instance.url)));
  const nginx = await startNginx(proxyPort, ports);
  return {
    url: nginx.url,
    nginx,
    instances,
    ids,
    async restart(index) {
      const stopping = Date.now();
      await instances[index].stop();
      const starting = Date.now();
      instances[index] = await startAppInstance(ports[index], overrides, { readyWithinMs: READY_WITHIN_MS });
      ids[index] = await instanceIdOf(instances[index].url);
      return { stopMs: starting - stopping, startMs: Date.now() - starting };
    },
    async stop() {
      await nginx.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
    },
  };
}

export async function instanceIdOf(url: string): Promise<string> {
  const response = await fetch(`${url}/healthz`);
  const id = response.headers.get("x-parley-instance");
  if (!id) throw new Error(`${url} did not name itself in X-Parley-Instance`);
  return id;
}
