/** Command-line options of `npm run bench -- …`. */
export const SCENARIOS = [
  "open-chat",
  "sync",
  "send",
  "mix",
  "accounting",
  "profile",
  "tabs",
  "search",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchArgs {
  quick: boolean;
  only: Set<ScenarioName>;
  dbName: string;
  adminUrl: string;
  connections: number;
  durationSec?: number;
  keepTmp: boolean;
  help: boolean;
  /** Tab counts for the idle-tabs scenario (default 1000 quick, 1000,5000 full). */
  tabs?: number[];
}

export const USAGE = `npm run bench -- [options]
  --quick              small data set and short runs (a few minutes)
  --only=a,b           run only these scenarios: ${SCENARIOS.join(", ")}
  --connections=N      connections per load run (default 10)
  --duration=S         seconds per measured load run (default 2 quick, 8 full)
  --db-name=NAME       the bench database, dropped and re-created (default parley_bench)
  --tabs=N[,M]         tab counts for the idle-tabs scenario (default 1000 quick, 1000,5000 full)
  --keep-tmp           keep the temporary directory (logs, embedded data)
Env: BENCH_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used only
to create the bench database on the same server.`;

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    only: new Set(SCENARIOS),
    dbName: "parley_bench",
    adminUrl: process.env.BENCH_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    connections: 10,
    keepTmp: false,
    help: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, ""];
    switch (key) {
      case "--quick":
        args.quick = true;
        break;
      case "--only": {
        const names = value
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean);
        for (const name of names)
          if (!(SCENARIOS as readonly string[]).includes(name))
            throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.join(", ")})`);
        args.only = new Set(names as ScenarioName[]);
        break;
      }
      case "--connections":
        args.connections = positive(key, value);
        break;
      case "--duration":
        args.durationSec = positive(key, value);
        break;
      case "--db-name":
        args.dbName = value;
        break;
      case "--tabs":
        args.tabs = value.split(",").map((count) => positive(key, count.trim()));
        break;
      case "--keep-tmp":
        args.keepTmp = true;
        break;
      case "--help":
      case "-h":
        args.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return args;
}

function positive(key: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new Error(`${key} needs a positive number, got "${value}"`);
  return number;
}
