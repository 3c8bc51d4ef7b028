// An organization's egress policy: where its playbooks' http, notify and verify steps may connect.
// Fail closed — a new organization allows nothing. Rules, in order:
// 1. The URL's host must be allowed: a name by `allowHosts` (exact, `*.suffix`, or `*` for any name),
//    an IP literal by `allowCidrs`. Cloud metadata names (metadata.google.internal) never are.
// 2. Every address the name resolves to must be allowed too (checked at send time, after resolution,
//    and the connection goes to exactly the checked address): public addresses are; loopback, RFC 1918,
//    CGNAT, ULA and other non-public ranges only inside one of `allowCidrs`; link-local
//    (169.254.0.0/16, fe80::/10) and cloud metadata addresses (169.254.169.254, fd00:ec2::254,
//    100.100.100.200) only inside a CIDR that lies entirely within that special range — so `0.0.0.0/0`
//    or `10.0.0.0/8` never opens the metadata service, `169.254.169.254/32` does.
// IPv4-mapped, IPv4-compatible and NAT64 IPv6 addresses are judged as the IPv4 address they carry.
import { isIP } from "node:net";
import { z } from "zod";

export type EgressPolicy = { allowHosts: readonly string[]; allowCidrs: readonly string[] };

export const DENY_ALL: EgressPolicy = { allowHosts: [], allowCidrs: [] };

type Ip = { family: 4 | 6; value: bigint };
type Cidr = Ip & { prefix: number };

const BITS = { 4: 32, 6: 128 } as const;

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseV6(text: string): bigint | null {
  let t = text.replace(/%.*$/, ""); // zone id (fe80::1%eth0)
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes its two hex words.
  const dot = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dot) {
    const n = parseV4(dot[2]!);
    if (n === null) return null;
    t = `${dot[1]}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = t.split("::");
  if (halves.length > 2) return null;
  const group = (s: string) => (s === "" ? [] : s.split(":"));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const words = [...head, ...rest];
  if (words.some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return null;
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return null;
  const all = [...head, ...Array<string>(8 - words.length).fill("0"), ...rest];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(`0x${w}`), 0n);
}

/** An IP address (no brackets), with IPv6 forms that carry an IPv4 address unwrapped to it. */
export function parseIp(text: string): Ip | null {
  const t = text.replace(/^\[|\]$/g, "");
  if (isIP(t.replace(/%.*$/, "")) === 4) {
    const v = parseV4(t);
    return v === null ? null : { family: 4, value: v };
  }
  if (!t.includes(":")) return null;
  const v = parseV6(t);
  if (v === null) return null;
  const low32 = v & 0xffffffffn;
  const high96 = v >> 32n;
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, not :: or ::1), 64:ff9b::a.b.c.d (NAT64).
  if (high96 === 0xffffn || high96 === 0x64ff9b0000000000000000n || (high96 === 0n && low32 > 1n)) return { family: 4, value: low32 };
  return { family: 6, value: v };
}

export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined || !addr) return null;
  const raw = addr.replace(/^\[|\]$/g, "");
  // The CIDR's own family, before any unwrapping: ::ffff:0:0/96 is an IPv6 range.
  const family = isIP(raw) === 6 ? 6 : isIP(raw) === 4 ? 4 : null;
  if (!family) return null;
  const value = family === 4 ? parseV4(raw) : parseV6(raw);
  if (value === null) return null;
  const prefix = len === undefined ? BITS[family] : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= BITS[family])) return null;
  const hostBits = BigInt(BITS[family] - prefix);
  return { family, value: (value >> hostBits) << hostBits, prefix };
}

function contains(c: Cidr, ip: Ip): boolean {
  if (c.family !== ip.family) return false;
  const hostBits = BigInt(BITS[c.family] - c.prefix);
  return ip.value >> hostBits === c.value >> hostBits;
}

const within = (inner: Cidr, outer: Cidr) => inner.family === outer.family && inner.prefix >= outer.prefix && contains(outer, inner);

const cidr = (text: string) => parseCidr(text)!;

// Reachable only through a CIDR inside them (see the header).
const SPECIAL: Array<{ range: Cidr; what: string }> = [
  { range: cidr("169.254.169.254/32"), what: "the cloud metadata service" },
  { range: cidr("100.100.100.200/32"), what: "the cloud metadata service" },
  { range: cidr("fd00:ec2::254/128"), what: "the cloud metadata service" },
  { range: cidr("169.254.0.0/16"), what: "a link-local address" },
  { range: cidr("fe80::/10"), what: "a link-local address" },
];

// Reachable only through a covering CIDR.
const NON_PUBLIC: Array<{ range: Cidr; what: string }> = [
  ...["127.0.0.0/8", "::1/128"].map((c) => ({ range: cidr(c), what: "a loopback address" })),
  ...["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"].map((c) => ({ range: cidr(c), what: "a private address" })),
  ...["0.0.0.0/8", "::/128", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "ff00::/8", "2001:db8::/32", "100::/64"].map((c) => ({
    range: cidr(c),
    what: "a reserved address",
  })),
];

const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog"]);

export type Verdict = { allowed: boolean; reason: string };

/** Whether the policy lets a connection go to `address` (an address a name resolved to, or an IP literal when `literal`). */
export function checkAddress(address: string, policy: EgressPolicy, { literal = false } = {}): Verdict {
  const ip = parseIp(address);
  if (!ip) return { allowed: false, reason: `'${address}' is not an IP address` };
  const cidrs = policy.allowCidrs.map(parseCidr).filter((c): c is Cidr => c !== null);
  const special = SPECIAL.find((s) => contains(s.range, ip));
  if (special) {
    const opened = cidrs.find((c) => contains(c, ip) && within(c, special.range));
    return opened ? { allowed: true, reason: `${address} is ${special.what}, allowed explicitly by ${formatCidr(opened)}` } : { allowed: false, reason: `${address} is ${special.what}: denied unless a CIDR inside ${formatCidr(special.range)} is allowed` };
  }
  const covering = cidrs.find((c) => contains(c, ip));
  if (covering) return { allowed: true, reason: `${address} is inside the allowed ${formatCidr(covering)}` };
  const nonPublic = NON_PUBLIC.find((n) => contains(n.range, ip));
  if (nonPublic) return { allowed: false, reason: `${address} is ${nonPublic.what}: denied unless a CIDR covering it is allowed` };
  if (literal) return { allowed: false, reason: `${address} is not inside an allowed CIDR` };
  return { allowed: true, reason: `${address} is a public address` };
}

/** Static check of a URL host (no DNS): names against allowHosts, IP literals against allowCidrs. */
export function checkHost(host: string, policy: EgressPolicy): Verdict {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (parseIp(h) || isIP(h)) return checkAddress(h, policy, { literal: true });
  if (METADATA_NAMES.has(h)) return { allowed: false, reason: `${h} is the cloud metadata service` };
  const match = policy.allowHosts.find((p) => p === "*" || p === h || (p.startsWith("*.") && h.endsWith(p.slice(1))));
  if (!match) return { allowed: false, reason: `host ${h} is not in the organization's egress allowlist` };
  return { allowed: true, reason: `host ${h} is allowed (${match}); its addresses are checked when the step runs` };
}

function formatCidr(c: Cidr): string {
  if (c.family === 4) return `${[24n, 16n, 8n, 0n].map((sh) => (c.value >> sh) & 0xffn).join(".")}/${c.prefix}`;
  const words = Array.from({ length: 8 }, (_, i) => ((c.value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero words becomes "::".
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > best.len) best = { at: i, len: j - i };
  }
  const text = best.at < 0 ? words.join(":") : `${words.slice(0, best.at).join(":")}::${words.slice(best.at + best.len).join(":")}`;
  return `${text}/${c.prefix}`;
}

const HOST_PATTERN = /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/;

export const ZEgressPolicy = z
  .object({
    allowHosts: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .max(253)
          .regex(HOST_PATTERN, 'a host name, "*.suffix" or "*" (addresses go in allowCidrs)')
          .refine((h) => !parseIp(h), "an IP address: put it in allowCidrs (e.g. 10.0.0.5/32)"),
      )
      .max(500),
    allowCidrs: z
      .array(z.string().trim().max(64).refine((c) => parseCidr(c) !== null, "not a CIDR like 10.0.0.0/8, 127.0.0.1/32 or fd00::/8"))
      .max(500)
      .transform((cs) => cs.map((c) => formatCidr(parseCidr(c)!))),
  })
  .strict()
  .transform((p) => ({ allowHosts: [...new Set(p.allowHosts)].sort(), allowCidrs: [...new Set(p.allowCidrs)].sort() }));
export type EgressPolicyInput = z.input<typeof ZEgressPolicy>;

export type DestinationCheck = { host: string | null; allowed: boolean | null; reason: string };

/**
 * The dry-run's view of one destination URL (rendered with secret placeholders): its host and whether
 * the policy allows it before any DNS. `allowed: null` when the host is not known until execution (it
 * comes from a secret); the send-time check decides then.
 */
export function checkDestination(rawUrl: string, policy: EgressPolicy): DestinationCheck {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    if (rawUrl.includes("«secret:")) return { host: null, allowed: null, reason: "the address comes from a secret: checked when the step runs" };
    return { host: null, allowed: false, reason: "not a valid URL" };
  }
  if (url.hostname.includes("%C2%ABsecret") || url.hostname.includes("«secret")) return { host: null, allowed: null, reason: "the host comes from a secret: checked when the step runs" };
  if (url.protocol !== "http:" && url.protocol !== "https:") return { host: url.hostname, allowed: false, reason: `${url.protocol.slice(0, -1)} is not http or https` };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { host, ...checkHost(host, policy) };
}
