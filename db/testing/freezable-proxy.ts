import net from "node:net";

/**
 * A TCP proxy a test can freeze: the sockets stay open but no byte goes through, either way,
 * as when a firewall starts dropping packets or a host stops answering without closing
 * anything. That is the failure a Postgres client cannot see (no error, no close), unlike a
 * refused or reset connection.
 *
 * While frozen, bytes already sent are held, as the network would retransmit them, and are
 * delivered in order on `thaw()`; a side that closes gracefully (FIN) has its close delivered
 * after them. A side that resets its socket (RST) loses what it had in flight, as in TCP, and
 * the proxy resets the other side.
 */
export interface FreezableProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** Stops forwarding bytes both ways; new connections are accepted and held too. */
  freeze(): void;
  /**
   * Lets requests through but freezes the answers (server to client) as soon as the client
   * sends bytes containing `marker`, after forwarding them: "the database did it, the answer
   * was lost".
   */
  freezeAnswersAfter(marker: string): void;
  /** Delivers what was held and forwards again. */
  thaw(): void;
  close(): Promise<void>;
}

type Direction = "up" | "down";

export async function startFreezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  const frozen: Record<Direction, boolean> = { up: false, down: false };
  let answersMarker: string | undefined;
  const pipes = new Set<Pipe>();

  interface Pipe {
    flush(): void;
    destroy(): void;
  }

  function connect(client: net.Socket) {
    const server = net.connect({ ...target, allowHalfOpen: true });
    const held: Record<Direction, Buffer[]> = { up: [], down: [] };
    const endHeld: Record<Direction, boolean> = { up: false, down: false };
    const destination = (direction: Direction) => (direction === "up" ? server : client);

    const pipe: Pipe = {
      flush() {
        for (const direction of ["up", "down"] as const) {
          const to = destination(direction);
          for (const chunk of held[direction].splice(0)) if (!to.destroyed) to.write(chunk);
          if (endHeld[direction] && !to.destroyed) to.end();
          endHeld[direction] = false;
        }
      },
      destroy() {
        client.destroy();
        server.destroy();
      },
    };
    pipes.add(pipe);

    function forward(from: net.Socket, direction: Direction) {
      const to = destination(direction);
      from.on("data", (chunk: Buffer) => {
        if (frozen[direction]) {
          held[direction].push(chunk);
          return;
        }
        to.write(chunk);
        if (direction === "up" && answersMarker && chunk.toString("latin1").includes(answersMarker)) {
          answersMarker = undefined;
          frozen.down = true;
        }
      });
      from.on("end", () => {
        if (frozen[direction]) endHeld[direction] = true;
        else to.end();
      });
      // A reset (or any socket error) loses what was in flight and resets the other side.
      from.on("error", () => {
        held[direction] = [];
        endHeld[direction] = false;
        if (!to.destroyed) to.resetAndDestroy();
      });
      from.on("close", () => {
        if (client.destroyed && server.destroyed) pipes.delete(pipe);
      });
    }
    // Both sockets are half-open capable: an end is forwarded explicitly (above), when thawed.
    forward(client, "up");
    forward(server, "down");
  }

  const listener = net.createServer({ allowHalfOpen: true }, connect);
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", resolve);
  });
  const { port } = listener.address() as net.AddressInfo;

  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    freeze() {
      frozen.up = true;
      frozen.down = true;
    },
    freezeAnswersAfter(marker) {
      answersMarker = marker;
    },
    thaw() {
      frozen.up = false;
      frozen.down = false;
      answersMarker = undefined;
      for (const pipe of pipes) pipe.flush();
    },
    async close() {
      for (const pipe of pipes) pipe.destroy();
      pipes.clear();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}
