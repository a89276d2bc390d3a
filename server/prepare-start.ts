/**
 * `npm start`'s first step: build if there is no build or the sources changed since, then
 * exit. The server itself then runs as bundled JavaScript (`node build/server.js`), without
 * this process's TypeScript loader (decision record 0029).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatLogLine } from "#app/lib/logger.server";
import { buildIfNeeded } from "./build-if-needed";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
buildIfNeeded(root, (message) => console.log(formatLogLine(new Date(), "info", message)));
