import { isIP } from "node:net";
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The TCP peer's address, set by Parley's own server (server/remix-adapter.ts). */
    clientAddress?: string;
  }
}

/**
 * Who is asking, as far as per-address limits are concerned: one IPv4 address, or one IPv6
 * /64 (the block a single subscriber usually gets, so one household cannot rotate through
 * 2^64 addresses). Null when the address cannot be known.
 *
 * - Parley's own server passes the connection's address in the load context.
 * - With TRUST_PROXY=true the last address in X-Forwarded-For wins: the one the proxy in front
 *   of Parley appended. Anything before it was written by the client and is ignored. (Behind
 *   two proxies, the nearer one must replace the header rather than append to it.)
 * - Under remix-serve the load context is empty, so without TRUST_PROXY the address is unknown.
 */
export function clientAddress(request: Request, context: AppLoadContext, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",").at(-1);
    const address = forwarded ? addressKey(forwarded) : null;
    if (address) return address;
  }
  return typeof context.clientAddress === "string" ? addressKey(context.clientAddress) : null;
}

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/;
const BRACKETED = /^\[([^\]]+)\](?::\d+)?$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The limit key of one address (see clientAddress), or null when it is not an IP address. */
export function addressKey(raw: string): string | null {
  let address = raw.trim();
  address = BRACKETED.exec(address)?.[1] ?? IPV4_WITH_PORT.exec(address)?.[1] ?? address;
  address = address.split("%")[0]; // a zone id (fe80::1%eth0) names an interface, not a client
  address = IPV4_MAPPED.exec(address)?.[1] ?? address;
  const version = isIP(address);
  if (version === 4) return address;
  if (version === 6) return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
  return null;
}

/** The eight groups of a valid IPv6 address, without leading zeros. */
function ipv6Groups(address: string): string[] {
  // An embedded IPv4 tail (64:ff9b::192.0.2.1) fills the last two groups.
  const groups = (part: string) =>
    part === "" ? [] : part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const gap = address.indexOf("::");
  const all =
    gap === -1
      ? groups(address)
      : (() => {
          const head = groups(address.slice(0, gap));
          const tail = groups(address.slice(gap + 2));
          return [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
        })();
  return all.map((group) => Number.parseInt(group, 16).toString(16));
}
