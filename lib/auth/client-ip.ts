// Which address a request came from, for login throttling. X-Forwarded-For is written by whoever sends the
// request, so it is believed only as far as it was appended by proxies we trust (TRUSTED_PROXIES: IPs and CIDRs).
//
// The TCP peer address is not visible to a Next route handler: `next start` only sets `x-forwarded-for` to it
// when the client sent none (`??=`), so a client that sends its own header hides it. instrumentation.ts
// therefore stamps every request with PEER_HEADER = the socket's address (lib/auth/peer-address.ts), replacing
// any value a client sent.
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

export const PEER_HEADER = "x-neuralops-peer-address";

type Headers = Record<string, unknown> | undefined;

/** "::ffff:10.0.0.1" → "10.0.0.1", "[::1]:443" → "::1", "10.0.0.1:5000" → "10.0.0.1"; other text as is. */
export function normalizeIp(raw: string): string {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(s)) s = s.slice(7);
  return s.toLowerCase();
}

/** Parses "10.0.0.0/8, 192.168.1.10, fd00::/8"; throws on an entry that is not an address or CIDR. */
export function parseTrustedProxies(list: string | undefined): BlockList {
  const trusted = new BlockList();
  for (const entry of (list ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
    const [addr = "", bits, extra] = entry.split("/");
    const ip = normalizeIp(addr);
    const family = isIP(ip);
    const prefix = Number(bits);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))) {
      throw new Error(`TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR range`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) trusted.addAddress(ip, type);
    else trusted.addSubnet(ip, prefix, type);
  }
  return trusted;
}

function isTrusted(trusted: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && trusted.check(ip, family === 4 ? "ipv4" : "ipv6");
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers?.[name];
  if (Array.isArray(v)) return v.join(",");
  return typeof v === "string" ? v : undefined;
}

/**
 * The client's address: start at the TCP peer and walk X-Forwarded-For from the right while the hop we are at is
 * a trusted proxy; the first untrusted hop is the client (a client cannot forge what our proxies appended after
 * its own entries). With no trusted proxies that is the peer itself.
 *
 * Without PEER_HEADER (a server started without instrumentation.ts), the right-most X-Forwarded-For entry stands
 * in for the peer: `next start` sets it to the socket address when the client sent none.
 */
export function clientIp(headers: Headers, trusted: BlockList): string | undefined {
  const chain = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map(normalizeIp)
    .filter(Boolean);
  const peer = header(headers, PEER_HEADER);
  if (peer) chain.push(normalizeIp(peer));
  let i = chain.length - 1;
  while (i > 0 && isTrusted(trusted, chain[i]!)) i--;
  return chain[i];
}

let trusted: BlockList | undefined;
/** The proxies named in TRUSTED_PROXIES, parsed once per process. */
export const trustedProxies = () => (trusted ??= parseTrustedProxies(env().TRUSTED_PROXIES));

/** The client address of a Fetch API request (route handlers), for throttling and the audit trail. */
export function requestClientIp(headers: globalThis.Headers): string | undefined {
  return clientIp(Object.fromEntries(headers), trustedProxies());
}
