import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The baselines are "plain Node": they are bundled to a single .mjs (with esbuild, which the
 * Remix compiler already brings) and run with bare `node`, not under tsx, whose loader thread
 * would add ~70 MB of RSS and make the baseline look worse than it is. Falls back to tsx
 * (and says so) when esbuild cannot be loaded.
 */
export async function baselineCommand(
  root: string,
  entry: string,
  outDir: string,
  log: (message: string) => void,
): Promise<string[]> {
  const outfile = path.join(outDir, `${path.basename(entry, ".ts")}.mjs`);
  if (existsSync(outfile)) return ["node", outfile];
  try {
    const esbuild = (await import("esbuild")) as typeof import("esbuild");
    await esbuild.build({
      entryPoints: [path.join(root, entry)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      logLevel: "error",
      // Bundled CommonJS dependencies may call require().
      banner: {
        js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
      },
    });
    return ["node", outfile];
  } catch (error) {
    log(
      `could not bundle ${entry} (${error instanceof Error ? error.message : String(error)}): running it under tsx (its RSS includes tsx's loader)`,
    );
    return ["node", "--import", "tsx", path.join(root, entry)];
  }
}
