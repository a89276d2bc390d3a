/**
 * A small Chrome DevTools Protocol client, run as its own process (`node
 * --experimental-websocket`: Node 20's WebSocket is behind that flag, and the bench adds no
 * dependency for it). It attaches to a server started with `--inspect=127.0.0.1:<port>` and,
 * on the bench's word over IPC, starts and stops V8's sampling profiler, writing each profile
 * to the file asked for (a .cpuprofile that Chrome DevTools opens), or has V8 collect all the
 * garbage it can (so that the server's RSS shows memory in use, not garbage awaiting a collection).
 */
import { writeFileSync } from "node:fs";
import type { ProfilerCommand, ProfilerReply } from "./protocol";

let socket: WebSocket | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

function call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    socket!.send(JSON.stringify({ id, method, params }));
  });
}

function reply(message: ProfilerReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function connect(inspectorUrl: string): Promise<void> {
  const targets = (await (await fetch(`${inspectorUrl}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string;
  }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target at ${inspectorUrl}`);
  socket = new WebSocket(url);
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  await new Promise<void>((resolve, reject) => {
    socket!.addEventListener("open", () => resolve());
    socket!.addEventListener("error", () => reject(new Error(`could not open ${url}`)));
  });
  await call("Profiler.enable");
}

async function handle(command: ProfilerCommand): Promise<void> {
  if (command.type === "connect") {
    await connect(command.inspectorUrl);
    await call("Profiler.setSamplingInterval", { interval: command.intervalMicros });
    await reply({ type: "connected" });
  } else if (command.type === "collect") {
    await call("HeapProfiler.collectGarbage");
    await reply({ type: "collected" });
  } else if (command.type === "start") {
    await call("Profiler.start");
    await reply({ type: "started" });
  } else {
    const { profile } = (await call("Profiler.stop")) as { profile: unknown };
    writeFileSync(command.file, JSON.stringify(profile));
    await reply({ type: "stopped", file: command.file });
  }
}

process.on("message", (command: ProfilerCommand) => {
  handle(command).catch(async (error: unknown) => {
    await reply({ type: "error", message: error instanceof Error ? error.message : String(error) });
  });
});
