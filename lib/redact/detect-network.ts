// IPv4 and IPv6 addresses: public ones are PII; private, loopback, link-local, CGNAT, ULA and CIDR blocks are
// infrastructure (kept unless maskPrivateAddresses), and dotted quads that are versions or image tags are kept.
// The linear-time rules in detect.ts apply to every pattern here.
import { canonicalIpv6, type Ctx, isAlnum, isDigit } from "@/lib/redact/detect-common";

const IPV4 = /(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;
export const VERSION_BEFORE =
  /(?:^|[^A-Za-z])(?:v|ver|version|release|build|firmware|fw|driver|kernel|bios|revision|rev|(?:upgraded?|downgraded?|updated?|bump(?:ed)?|rolled back|pinned) to|(?:[a-z]+_)?version|app|sdk|min_supported|max_supported|reported)["']?[ \t]*[:=]?[ \t]*["']?$/i;
// "rollback of checkout to 2.6.9.22", "deploying orders-api 3.4 → to 4.0.1.2": a release verb a few words back.
const RELEASE_TO = /\b(?:roll(?:ed|ing)?[ -]?back|revert(?:ed|ing)?|deploy(?:ed|ing)?|promot(?:e|ed|ing)|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|migrat(?:e|ed|ing)|pin(?:ned)?)\b[^\n]{0,48}[ \t]to[ \t]*$|\b(?:upgrad|downgrad)(?:e|ed|ing)\b[^\n]{0,48}[ \t]from[ \t]*$/i; // "upgraded x from 4.17.9.17 to …"
// Between two versions: "3.2.1.9 (was 3.2.1.8)", "7.4.2.1 -> 7.4.2.3", "3.2.1.8 to 3.2.1.9".
const BETWEEN_VERSIONS = /^[\s(),;:]*(?:(?:was|from|to|previously|prev|vs\.?|and|or|then|->|→|=>)[\s(),;:]*)?$/i;
// "Chrome/124.0.0.0", "Edg/124.0.0.0": a product token and its version.
const PRODUCT_BEFORE = /(?:^|[\s(;,"'])[A-Za-z][A-Za-z0-9._-]{0,30}\/$/;
// Squid hierarchy codes name the peer that served the request: "HIER_DIRECT/193.174.109.155", "FIRSTUP_PARENT/…".
const SQUID_HIER = /(?:^|[\s(;,"'])(?:[A-Z]+_[A-Z_]+|DIRECT|PARENT|SIBLING)\/$/;
// A version inside a file name: "agent-2.0.183.43-x64.msi", "tool_1.2.3.4.tar.gz" (a word and "-"/"_" before, a
// "-"/"_"/"+" or an extension after).
const FILE_VERSION_AFTER = /^(?:[-_+][A-Za-z0-9]|\.(?:msi|exe|zip|tgz|tar|gz|rpm|deb|dmg|pkg|jar|whl|apk|nupkg|appx|msix|iso|bin|img)\b)/;
// "acme/orders-api:4.0.8.30": an image tag.
const IMAGE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}(?::\d{1,5})?(?:\/[a-z0-9._-]{1,127}){1,4}$/;

/** True when the token ending at `colon` (exclusive) is an image repository name ("acme/orders-api"). */
function imageBefore(s: string, colon: number): boolean {
  const last = s.charCodeAt(colon - 1);
  if (last === 58 || last === 47 || last === 46) return false; // "::", "/:", ".:": no repository name ends so
  let i = colon;
  while (i > 0 && colon - i < 256 && /[a-z0-9._/:-]/.test(s.charAt(i - 1))) i--; // ":" for a registry port
  if (i > 0 && !/[\s"'=,(]/.test(s.charAt(i - 1))) return false;
  return IMAGE_NAME.test(s.slice(i, colon));
}
const CIDR_AFTER = /^\/\d{1,3}(?!\d)/;
// A /32 "block" is one host (`loadBalancerSourceRanges: 194.66.213.165/32`, firewall allow-lists): a public one is masked.
// Only in an allow-list (a key that names one, or a list of /32s): an iptables `-s x/32 -j DROP` blocks a scanner.
const HOST_PREFIX = /^\/32(?!\d)/;
const ALLOW_LIST_BEFORE = /(?:source_?ranges|allow|whitelist|trusted|authori[sz]ed|permit|client_?ips?|ip_?ranges)[^\n]{0,120}$/i;
function hostPrefix(s: string, start: number, end: number): boolean {
  if (!HOST_PREFIX.test(s.slice(end, end + 4))) return false;
  return /\/32,[ \t]?$/.test(s.slice(Math.max(0, start - 6), start)) || /^\/32,[ \t]?\d/.test(s.slice(end, end + 6)) || ALLOW_LIST_BEFORE.test(s.slice(Math.max(0, start - 160), start));
}

/** Private (RFC 1918), loopback, link-local, CGNAT and "this network": infrastructure, not a person. */
function privateV4(v: string): boolean {
  const [a = 0, b = 0] = v.split(".").map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/** Loopback, link-local (fe80::/10), unique local (fc00::/7) and IPv4-mapped private addresses. */
function privateV6(canon: string): boolean {
  if (canon === "::1") return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canon); // ::ffff:10.0.0.5, canonical "::ffff:a00:5"
  if (mapped) {
    const hi = parseInt(mapped[1] ?? "0", 16);
    const lo = parseInt(mapped[2] ?? "0", 16);
    return privateV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  const first = parseInt(canon.split(":")[0] || "0", 16);
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00;
}

export function detectIpv4({ s, emit, opts }: Ctx) {
  if (!s.includes(".")) return;
  IPV4.lastIndex = 0;
  let lastVersionEnd = -1;
  for (let m; (m = IPV4.exec(s)); ) {
    const prev = m.index > 0 ? s.charCodeAt(m.index - 1) : 32;
    if (isAlnum(prev) || prev === 95 || (prev === 46 && m.index > 1 && /\w/.test(s.charAt(m.index - 2)))) {
      IPV4.lastIndex = m.index + 1; // v1.2.3.4, 1.3.6.1.2.1 (OIDs): not an address
      continue;
    }
    const v = m[0];
    const end = m.index + v.length;
    if (v === "0.0.0.0" || v.startsWith("255.")) continue; // bind-all and netmasks identify no one
    const before = s.slice(Math.max(0, m.index - 80), m.index);
    if (
      VERSION_BEFORE.test(before.slice(-24)) ||
      (/(?:to|from)[ \t]*$/i.test(before) && RELEASE_TO.test(before)) ||
      (lastVersionEnd >= 0 && m.index - lastVersionEnd <= 24 && BETWEEN_VERSIONS.test(s.slice(lastVersionEnd, m.index))) ||
      (prev === 47 && PRODUCT_BEFORE.test(before.slice(-32)) && !SQUID_HIER.test(before.slice(-32))) ||
      ((prev === 45 || prev === 95) && /[A-Za-z]$/.test(before.slice(-2, -1)) && FILE_VERSION_AFTER.test(s.slice(end, end + 8))) ||
      (prev === 58 && imageBefore(s, m.index - 1))
    ) {
      lastVersionEnd = end;
      continue;
    }
    if (!opts.maskPrivateAddresses && (privateV4(v) || (CIDR_AFTER.test(s.slice(end, end + 4)) && !hostPrefix(s, m.index, end)))) continue;
    emit("ipv4", m.index, end, v);
  }
}

const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const V4_TAIL = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])/y;

export function detectIpv6({ s, emit, opts }: Ctx) {
  let scanned = 0;
  for (let c = s.indexOf(":"); c >= 0; c = s.indexOf(":", Math.max(c + 1, scanned))) {
    // the maximal run of hex digits and colons around this colon
    let start = c;
    while (start > 0 && c - start < 40 && (isHex(s.charCodeAt(start - 1)) || s.charCodeAt(start - 1) === 58)) start--;
    let end = c + 1;
    while (end < s.length && end - start < 46 && (isHex(s.charCodeAt(end)) || s.charCodeAt(end) === 58)) end++;
    scanned = end;
    if (end - start >= 46 && end < s.length && (isHex(s.charCodeAt(end)) || s.charCodeAt(end) === 58)) {
      // A run of hex digits and colons longer than any address (":::::…", a hex dump): skip it whole, once.
      while (scanned < s.length && (isHex(s.charCodeAt(scanned)) || s.charCodeAt(scanned) === 58)) scanned++;
      continue;
    }
    if (start > 0 && /[\w.]/.test(s.charAt(start - 1))) continue; // std::vector, Foo::bar, a.b:c
    // Full form needs 7 colons (6 before an embedded IPv4); anything shorter must use "::". Times stop here.
    let colons = 0;
    for (let i = start; i < end; i++) if (s.charCodeAt(i) === 58) colons++;
    if (colons < 6 && !s.slice(start, end).includes("::")) continue;
    // embedded IPv4 (::ffff:192.0.2.1)
    const lastColon = s.lastIndexOf(":", end - 1);
    if (s.charAt(end) === "." && lastColon >= start) {
      V4_TAIL.lastIndex = lastColon + 1;
      const t = V4_TAIL.exec(s);
      if (t) end = V4_TAIL.lastIndex;
    }
    scanned = end;
    const v = s.slice(start, end);
    if (v.length < 2 || v.length > 45) continue;
    const next = s.charAt(end);
    if (/\w/.test(next) || (next === "." && /\d/.test(s.charAt(end + 1)))) continue; // 12:00:01.123, abc:def:ghi
    if (!/\d/.test(v)) continue; // dead::beef: not worth the risk
    const groups = v.split(/::?/).filter((g) => g !== "");
    if (v.includes("::")) {
      if (groups.length === 0) continue; // "::" (unspecified) is kept
      if (!v.startsWith("::") && (groups.length < 2 || (groups[0]?.length ?? 0) < 2)) continue; // x[1::2] slices
    } else if (groups.every((g) => g.length === 2)) {
      continue; // MAC / EUI-64 / certificate serials
    }
    let canon = canonicalIpv6(v);
    // HAProxy logs an IPv6 client and its port unbracketed: 2a00:23c6:…:e41:34338. Eight groups then a
    // decimal port: the address is the first eight.
    if (!canon && colons === 8 && !v.includes("::")) {
      const port = v.lastIndexOf(":");
      if (/^\d{1,5}$/.test(v.slice(port + 1)) && (canon = canonicalIpv6(v.slice(0, port)))) end = start + port;
    }
    if (!canon) continue;
    const loopbackPort = /^::1:\d{1,5}$/.test(v) && s.charAt(start - 1) !== "["; // ECONNREFUSED ::1:6379
    if (!opts.maskPrivateAddresses && (privateV6(canon) || loopbackPort || CIDR_AFTER.test(s.slice(end, end + 4)))) continue;
    emit("ipv6", start, end, canon);
  }
}
