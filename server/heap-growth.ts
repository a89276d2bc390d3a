import v8 from "node:v8";

/**
 * How much V8 lets the old generation grow past what survived its last full collection: 50%.
 * Left to itself, V8 picks a factor of up to 4× from how fast it collects, and a busy server
 * kept hundreds of megabytes of garbage it never gave back: after load on a 200-message chat
 * (documents, data requests, chat lists; response cache off), RSS was 450-600 MB over a live
 * heap of about 70 MB. At 50% it stayed at 250-258 MB with CPU per request within the noise of
 * the default; at 20% the collections cost up to half as much CPU again (bench/README.md,
 * "Memory"). A `--heap-growing-percent` given to node itself is left alone.
 */
const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.replace(/_/g, "-").startsWith("--heap-growing-percent"))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
