import { describe, expect, it } from "vitest";
import { Socket } from "node:net";
import { IncomingMessage } from "node:http";
import { clientIp, normalizeIp, parseTrustedProxies, PEER_HEADER } from "@/lib/auth/client-ip";
import { stamp } from "@/lib/auth/peer-address";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.10, fd00::/8");

describe("clientIp", () => {
  it("with no trusted proxy, is the TCP peer whatever X-Forwarded-For claims", () => {
    expect(clientIp({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "6.6.6.6" }, none)).toBe("203.0.113.9");
    expect(clientIp({ [PEER_HEADER]: "::ffff:203.0.113.9" }, none)).toBe("203.0.113.9");
  });

  it("behind trusted proxies, is the right-most hop that is not one of them", () => {
    // The client put 6.6.6.6 there itself; our proxy appended the address it saw.
    expect(clientIp({ [PEER_HEADER]: "10.0.0.5", "x-forwarded-for": "6.6.6.6, 198.51.100.7" }, proxies)).toBe("198.51.100.7");
    expect(clientIp({ [PEER_HEADER]: "10.0.0.5", "x-forwarded-for": "198.51.100.7, 192.168.1.10" }, proxies)).toBe("198.51.100.7");
    expect(clientIp({ [PEER_HEADER]: "fd00::1", "x-forwarded-for": "[2001:db8::7]:4711" }, proxies)).toBe("2001:db8::7");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientIp({ [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "10.0.0.1" }, proxies)).toBe("198.51.100.7");
  });

  it("is the left-most hop when every hop is trusted, and the right-most entry when no peer was stamped", () => {
    expect(clientIp({ [PEER_HEADER]: "10.0.0.5", "x-forwarded-for": "10.0.0.9" }, proxies)).toBe("10.0.0.9");
    expect(clientIp({ "x-forwarded-for": "203.0.113.9" }, none)).toBe("203.0.113.9");
    expect(clientIp({}, none)).toBeUndefined();
  });
});

describe("TRUSTED_PROXIES", () => {
  it("accepts addresses and CIDRs, refuses anything else", () => {
    expect(proxies.check("10.200.3.4", "ipv4")).toBe(true);
    expect(proxies.check("192.168.1.11", "ipv4")).toBe(false);
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0/8", "1.2.3.4/8/1", "::1/129"]) {
      expect(() => parseTrustedProxies(bad), bad).toThrow(/TRUSTED_PROXIES/);
    }
  });

  it("normalizes ports, brackets and IPv4-mapped IPv6", () => {
    expect(normalizeIp(" 10.0.0.1:5000 ")).toBe("10.0.0.1");
    expect(normalizeIp("[::1]:443")).toBe("::1");
    expect(normalizeIp("::FFFF:10.0.0.1")).toBe("10.0.0.1");
  });
});

describe("the peer address header", () => {
  it("is the socket's address, replacing a value the client sent", () => {
    const socket = new Socket();
    Object.defineProperty(socket, "remoteAddress", { value: "203.0.113.9" });
    const req = new IncomingMessage(socket);
    req.headers[PEER_HEADER] = "6.6.6.6";
    stamp(req);
    expect(req.headers[PEER_HEADER]).toBe("203.0.113.9");
  });
});
