// The guarded fetch against a real local HTTP server, with the resolver injected (a test cannot add
// names to the system resolver): the check happens after resolution and the connection goes to the
// checked address.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EgressDeniedError, egressFetch, type Resolver } from "@/lib/egress/fetch";
import type { EgressPolicy } from "@/lib/egress/policy";

let server: Server;
let port = 0;
const seen: Array<{ method: string; url: string; host: string | undefined; body: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", host: req.headers.host, body });
      res.writeHead(req.url === "/moved" ? 302 : 200, { "content-type": "application/json", ...(req.url === "/moved" ? { location: "http://169.254.169.254/" } : {}) }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const loopbackAllowed = (hosts: string[] = []): EgressPolicy => ({ allowHosts: hosts, allowCidrs: ["127.0.0.1/32"] });
const to = (address: string): Resolver => async () => [{ address, family: address.includes(":") ? 6 : 4 }];

async function denial(p: Promise<unknown>): Promise<EgressDeniedError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(EgressDeniedError);
  return e as EgressDeniedError;
}

describe("egressFetch", () => {
  it("an allowed name is resolved once and the request goes to the checked address, with the name as Host", async () => {
    let lookups = 0;
    const resolve: Resolver = async () => (lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }]);
    const before = seen.length;
    const res = await egressFetch(`http://api.internal.test:${port}/x?y=1`, { method: "POST", headers: { "x-a": "1" }, body: "hello" }, { policy: loopbackAllowed(["api.internal.test"]), resolve });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(lookups).toBe(1);
    expect(seen.slice(before)).toEqual([{ method: "POST", url: "/x?y=1", host: `api.internal.test:${port}`, body: "hello" }]);
  });

  it("a name that resolves to a private address is denied unless a CIDR covers it; nothing is sent", async () => {
    const before = seen.length;
    const e = await denial(egressFetch(`http://api.internal.test:${port}/`, {}, { policy: { allowHosts: ["api.internal.test"], allowCidrs: [] }, resolve: to("127.0.0.1") }));
    expect(e.message).toMatch(/api\.internal\.test.*127\.0\.0\.1 is a loopback address/);
    await denial(egressFetch(`http://api.internal.test:${port}/`, {}, { policy: { allowHosts: ["api.internal.test"], allowCidrs: [] }, resolve: to("10.0.0.7") }));
    expect(seen.length).toBe(before);
  });

  it("a name resolving to the metadata service is denied even with allow-all rules", async () => {
    const wide = { allowHosts: ["*"], allowCidrs: ["0.0.0.0/0", "::/0"] };
    expect((await denial(egressFetch("http://innocent.example/latest/meta-data/", {}, { policy: wide, resolve: to("169.254.169.254") }))).message).toMatch(/metadata/);
    await denial(egressFetch("http://innocent.example/", {}, { policy: wide, resolve: to("fd00:ec2::254") }));
    // One bad address among several is enough.
    await denial(egressFetch("http://innocent.example/", {}, { policy: wide, resolve: async () => [{ address: "93.184.216.34", family: 4 }, { address: "169.254.169.254", family: 4 }] }));
  });

  it("IP literals: 169.254.169.254 and 127.0.0.1 are denied by default, without resolving", async () => {
    const resolve: Resolver = async () => expect.fail("an IP literal is not resolved");
    await denial(egressFetch("http://169.254.169.254/latest/meta-data/", {}, { policy: { allowHosts: ["*"], allowCidrs: [] }, resolve }));
    await denial(egressFetch(`http://127.0.0.1:${port}/`, {}, { policy: { allowHosts: ["*"], allowCidrs: [] }, resolve }));
    const res = await egressFetch(`http://127.0.0.1:${port}/ok`, { method: "GET" }, { policy: loopbackAllowed(), resolve });
    expect(res.status).toBe(200);
  });

  it("a name not in the allowlist is denied before any lookup", async () => {
    await denial(egressFetch(`http://other.example:${port}/`, {}, { policy: loopbackAllowed(["api.internal.test"]), resolve: async () => expect.fail("not resolved") }));
  });

  it("does not follow redirects", async () => {
    const res = await egressFetch(`http://127.0.0.1:${port}/moved`, {}, { policy: loopbackAllowed() });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://169.254.169.254/");
  });

  it("a name that does not resolve fails like fetch (ENOTFOUND in the cause)", async () => {
    const e = (await egressFetch("http://nowhere.invalid/", {}, { policy: { allowHosts: ["nowhere.invalid"], allowCidrs: [] } }).catch((err: unknown) => err)) as TypeError;
    expect(e).toBeInstanceOf(TypeError);
    expect((e.cause as { code?: string }).code).toBe("ENOTFOUND");
  });
});
