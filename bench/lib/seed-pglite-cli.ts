/**
 * Seeds an embedded (PGlite) data directory in its own process, so that it can run while
 * Postgres is being seeded (PGlite's first start alone takes ~5 s of CPU).
 * Usage: node --import tsx bench/lib/seed-pglite-cli.ts <dataDir> <fixture.json> <plan JSON> <session secret>
 */
import { writeFileSync } from "node:fs";
import { seedPglite, type SeedPlan } from "./seed";

const [dataDir, fixtureFile, planJson, secret] = process.argv.slice(2);
const fixture = await seedPglite(dataDir, JSON.parse(planJson) as SeedPlan, secret);
writeFileSync(fixtureFile, JSON.stringify(fixture));
process.exit(0);
