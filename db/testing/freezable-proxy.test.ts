import net from "node:net";
import { startFreezableProxy, type FreezableProxy } from "./freezable-proxy";

/** A server that answers every chunk with "echo:" and the chunk. */
async function startEchoServer(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on("data", (chunk) => socket.write(`echo:${chunk.toString()}`));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function connectThrough(proxy: FreezableProxy): Promise<{ socket: net.Socket; received: () => string }> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = net.connect({ host: "127.0.0.1", port: proxy.port }, () =>
      resolve({ socket, received: () => text }),
    );
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startFreezableProxy", () => {
  let server: net.Server;
  let proxy: FreezableProxy;
  beforeEach(async () => {
    server = await startEchoServer();
    proxy = await startFreezableProxy({
      host: "127.0.0.1",
      port: (server.address() as net.AddressInfo).port,
    });
  });
  afterEach(async () => {
    await proxy.close();
    server.close();
  });

  it("forwards bytes, holds them while frozen with the socket open, and delivers them on thaw", async () => {
    const client = await connectThrough(proxy);
    client.socket.write("one");
    await vi.waitFor(() => expect(client.received()).toBe("echo:one"));

    proxy.freeze();
    client.socket.write("two");
    await sleep(200);
    expect(client.received()).toBe("echo:one");
    expect(client.socket.destroyed).toBe(false);

    proxy.thaw();
    await vi.waitFor(() => expect(client.received()).toBe("echo:oneecho:two"));
    client.socket.destroy();
  });

  it("drops what a client had in flight when it resets its socket", async () => {
    const seen: string[] = [];
    server.on("connection", (socket) => socket.on("data", (chunk) => seen.push(chunk.toString())));
    const client = await connectThrough(proxy);
    proxy.freeze();
    client.socket.write("lost");
    await sleep(100);
    client.socket.resetAndDestroy();
    await sleep(100);
    proxy.thaw();
    await sleep(200);
    expect(seen).toEqual([]);
  });

  it("freezes only the answers once the client sends a marker, after forwarding it", async () => {
    const seen: string[] = [];
    server.on("connection", (socket) => socket.on("data", (chunk) => seen.push(chunk.toString())));
    const client = await connectThrough(proxy);
    proxy.freezeAnswersAfter("commit");
    client.socket.write("commit");
    await vi.waitFor(() => expect(seen).toEqual(["commit"]));
    await sleep(200);
    expect(client.received()).toBe("");
    proxy.thaw();
    await vi.waitFor(() => expect(client.received()).toBe("echo:commit"));
    client.socket.destroy();
  });
});
