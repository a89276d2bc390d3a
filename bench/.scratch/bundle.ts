import { build } from "esbuild";
const r = await build({ entryPoints: ["bench/baselines/bare-sync-server.ts"], bundle: true, platform: "node", format: "esm", target: "node20", outfile: "/tmp/pb-try/bare.mjs", logLevel: "warning", banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
console.log(r.errors, r.warnings.length);
