import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";

/**
 * The client address a request counts against when it has no verified credential (rate limits)
 * and when its credential's Argon2 verifications are throttled (auth/authenticator.ts).
 *
 * - Without trusted proxies (SCOPEGATE_TRUSTED_PROXIES unset, the default) it is the TCP peer:
 *   `X-Forwarded-For` is ignored, since any client can write one.
 * - With trusted proxies it is proxy-addr's answer (the algorithm Express uses): walk
 *   `X-Forwarded-For` from the right while the hop that added the entry is trusted, and take the
 *   first untrusted one. A client that sends its own header only prepends to the list, so it
 *   cannot pick its address through a trusted proxy.
 * - IPv6 clients count per /64, the block one host is usually given, so a client cannot
 *   multiply its allowance by cycling through the addresses of its own prefix. IPv4-mapped IPv6
 *   addresses (`::ffff:1.2.3.4`) count as their IPv4 address.
 */
export function clientAddressOf(trustedProxies: readonly string[]): (req: IncomingMessage) => string {
  const trust = trustedProxies.length > 0 ? proxyAddr.compile([...trustedProxies]) : null;
  return (req) => addressGroup(trust ? proxyAddr(req, trust) : req.socket.remoteAddress);
}

/** Problem with a SCOPEGATE_TRUSTED_PROXIES list (IPs, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`), or null. */
export function trustedProxiesProblem(list: readonly string[]): string | null {
  try {
    proxyAddr.compile([...list]);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The bucket name of one address: IPv4 as is, IPv6 by its /64 prefix, "unknown" when there is none. */
export function addressGroup(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return "unknown";
  // process(): an IPv4-mapped IPv6 address becomes its IPv4 address.
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${prefix.join(":")}::/64`;
}
