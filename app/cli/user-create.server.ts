import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { uuidv7 } from "#db/ids";
import { emailSchema, newPasswordSchema } from "#app/lib/account-forms";
import { hashPassword } from "#app/services/password.server";
import { getRuntime } from "#app/services/runtime.server";

/**
 * `npm run user:create -- --email a@example.com --password-file ./pw.txt` (or `--password-file -`
 * to read standard input): makes an account from the command line, the way in when
 * SIGNUPS=closed. The password comes from a file, never an argument, so it stays out of the
 * shell history and the process list; one trailing line break is dropped. On the embedded
 * default (no DATABASE_URL), stop Parley first: one process at a time may open PGlite's files.
 */
const USAGE = "usage: npm run user:create -- --email <address> --password-file <file, or - for stdin>";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { email: { type: "string" }, "password-file": { type: "string" } } });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
})();
if (!values.email || !values["password-file"]) fail(USAGE);

const email = emailSchema.safeParse(values.email);
if (!email.success) fail(`--email: ${email.error.issues[0]?.message ?? "invalid"}`);
let raw: string;
try {
  const file = values["password-file"];
  raw = readFileSync(file === "-" ? 0 : file, "utf8");
} catch (error) {
  fail(`--password-file: cannot read it (${error instanceof Error ? error.message : String(error)})`);
}
const password = newPasswordSchema.safeParse(raw.replace(/\r?\n$/, ""));
if (!password.success) fail(`password: ${password.error.issues[0]?.message ?? "invalid"}`);

const runtime = getRuntime();
try {
  await runtime.ready;
  const outcome = await runtime.accounts.create({
    id: uuidv7(),
    email: email.data,
    passwordHash: await hashPassword(password.data),
  });
  if (outcome === "taken") {
    console.error(`an account with the email ${email.data} exists already`);
    process.exitCode = 1;
  } else {
    console.log(`created the account ${email.data}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await runtime.close();
}
