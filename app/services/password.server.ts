import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";

/**
 * Password hashing: argon2id through @node-rs/argon2 (a native build of the reference
 * implementation, shipped prebuilt in npm packages). The parameters are OWASP's first
 * recommendation for argon2id: 19 MiB of memory, 2 passes, 1 lane; a 16-byte random salt
 * per hash, a 32-byte output, PHC-formatted (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
 * Hashing runs on libuv's thread pool, so the event loop keeps serving other requests.
 *
 * Measured on this 2-core machine (app/services/password.test.ts prints it): see the README.
 */
export const ARGON2_PARAMS = {
  // A const enum in the package's types: the value is written out (isolated modules).
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} satisfies Options;

/**
 * A hash of a random password nobody knows, made once with ARGON2_PARAMS. A sign-in with an
 * unknown email is checked against it, so it costs what a wrong password costs and its
 * timing tells nothing about which emails have accounts (a test keeps it in step with the
 * parameters).
 */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$CP5sCpYenoJBPzgo8lyTlw$6T+Okpgwaave0xSocWGKPifSfWBBYKVcGjZmqFN/h+M";

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/** Checks `password` against `storedHash`, or against the dummy hash when there is none (always false then). */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  try {
    const matches = await verify(storedHash ?? DUMMY_HASH, password);
    return matches && storedHash !== undefined;
  } catch {
    // A stored value that is not a PHC hash matches nothing.
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's (rehash it at the next sign-in). */
export function needsRehash(storedHash: string): boolean {
  try {
    const options = parseOptions(storedHash);
    return (
      options.algorithm !== ARGON2_PARAMS.algorithm ||
      options.memoryCost !== ARGON2_PARAMS.memoryCost ||
      options.timeCost !== ARGON2_PARAMS.timeCost ||
      options.parallelism !== ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}
