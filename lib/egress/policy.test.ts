import { describe, expect, it } from "vitest";
import { checkAddress, checkHost, DENY_ALL, parseCidr, parseIp, ZEgressPolicy, type EgressPolicy } from "@/lib/egress/policy";

const policy = (allowHosts: string[], allowCidrs: string[]): EgressPolicy => ({ allowHosts, allowCidrs });

describe("egress policy", () => {
  it("denies everything by default", () => {
    for (const host of ["api.example.com", "127.0.0.1", "8.8.8.8", "[::1]", "10.0.0.5", "169.254.169.254", "localhost"]) expect(checkHost(host, DENY_ALL).allowed, host).toBe(false);
  });

  it("host names: exact, *.suffix, * — IP literals only through CIDRs", () => {
    const p = policy(["api.example.com", "*.corp.example"], ["203.0.113.7/32"]);
    expect(checkHost("api.example.com", p).allowed).toBe(true);
    expect(checkHost("API.Example.com.", p).allowed).toBe(true);
    expect(checkHost("x.api.example.com", p).allowed).toBe(false);
    expect(checkHost("a.b.corp.example", p).allowed).toBe(true);
    expect(checkHost("corp.example", p).allowed).toBe(false);
    expect(checkHost("evilcorp.example", p).allowed).toBe(false);
    expect(checkHost("203.0.113.7", p).allowed).toBe(true);
    expect(checkHost("203.0.113.8", p).allowed).toBe(false);
    expect(checkHost("8.8.8.8", policy(["*"], [])).allowed).toBe(false);
    expect(checkHost("anything.example", policy(["*"], [])).allowed).toBe(true);
  });

  it("cloud metadata and link-local are denied even with allow-all rules, and open only with a CIDR inside their range", () => {
    const wide = policy(["*", "metadata.google.internal"], ["0.0.0.0/0", "::/0", "169.0.0.0/8", "fd00::/8"]);
    for (const a of ["169.254.169.254", "169.254.1.1", "fe80::1", "fe80::1%eth0", "fd00:ec2::254", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "100.100.100.200"]) {
      expect(checkAddress(a, wide).allowed, a).toBe(false);
      expect(checkHost(a.includes(":") ? `[${a}]` : a, wide).allowed, a).toBe(false);
    }
    expect(checkHost("metadata.google.internal", wide).allowed).toBe(false);
    expect(checkAddress("169.254.169.254", policy([], ["169.254.169.254/32"])).allowed).toBe(true);
    expect(checkAddress("169.254.10.10", policy([], ["169.254.0.0/16"])).allowed).toBe(true);
    // A link-local CIDR does not open the metadata address inside it.
    expect(checkAddress("169.254.169.254", policy([], ["169.254.0.0/16"])).allowed).toBe(false);
    expect(checkAddress("fd00:ec2::254", policy([], ["fd00:ec2::254/128"])).allowed).toBe(true);
  });

  it("loopback, RFC 1918 and other non-public resolved addresses need a covering CIDR; public ones do not", () => {
    for (const a of ["127.0.0.1", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "fd12::1", "0.0.0.0", "::", "::ffff:127.0.0.1", "::ffff:7f00:1", "224.0.0.1"]) {
      expect(checkAddress(a, DENY_ALL).allowed, a).toBe(false);
    }
    expect(checkAddress("127.0.0.1", policy([], ["127.0.0.0/8"])).allowed).toBe(true);
    expect(checkAddress("::ffff:127.0.0.1", policy([], ["127.0.0.1/32"])).allowed).toBe(true);
    expect(checkAddress("10.1.2.3", policy([], ["10.0.0.0/8"])).allowed).toBe(true);
    expect(checkAddress("93.184.216.34", DENY_ALL).allowed).toBe(true);
    expect(checkAddress("2606:2800:220:1::1", DENY_ALL).allowed).toBe(true);
  });

  it("parses addresses and CIDRs", () => {
    expect(parseIp("::ffff:10.0.0.1")).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp("1:2:3:4:5:6:7:8")?.family).toBe(6);
    expect(parseIp("1::2::3")).toBeNull();
    expect(parseIp("256.0.0.1")).toBeNull();
    expect(parseCidr("10.1.2.3/8")).toMatchObject({ value: 0x0a000000n, prefix: 8 });
    expect(parseCidr("10.0.0.0/33")).toBeNull();
    expect(parseCidr("example.com/8")).toBeNull();
  });

  it("validates and normalizes an admin's input", () => {
    expect(ZEgressPolicy.parse({ allowHosts: ["B.example.com", "a.example.com", "*.x.example"], allowCidrs: ["10.1.2.3/8", "::1", "127.0.0.1/32"] })).toEqual({
      allowHosts: ["*.x.example", "a.example.com", "b.example.com"],
      allowCidrs: ["10.0.0.0/8", "127.0.0.1/32", "::1/128"],
    });
    for (const bad of [{ allowHosts: ["10.0.0.1"], allowCidrs: [] }, { allowHosts: ["a b"], allowCidrs: [] }, { allowHosts: [], allowCidrs: ["10.0.0.0/40"] }, { allowHosts: ["*.*.x"], allowCidrs: [] }]) {
      expect(ZEgressPolicy.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
