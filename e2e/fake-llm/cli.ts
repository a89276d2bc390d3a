/**
 * Runs the fake OpenAI server as its own process for Playwright:
 *   node --import tsx e2e/fake-llm/cli.ts [--port 4010] [--host 127.0.0.1]
 * Specs script it through /__control/* (see control-client.ts).
 */
import { startFakeOpenAi } from "./fake-openai-server";

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
}

const port = Number(option("port") ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`fake-openai: invalid --port ${option("port")}`);
  process.exit(2);
}

const fake = await startFakeOpenAi({ port, host: option("host") ?? "127.0.0.1" });
// Playwright's webServer and humans both watch for this line.
console.log(`fake-openai listening on ${fake.url}`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  fake.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("fake-openai: close failed", error);
      process.exit(1);
    },
  );
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
