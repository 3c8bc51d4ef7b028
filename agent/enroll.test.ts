import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { ensureIdentity, EnrollmentError } from "./enroll";
import type { AgentIdentity, IdentityStore } from "./kube/identity-secret";

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A control plane that answers enrollment with `status` and `body`, recording what it was sent. */
async function controlPlane(status: number, body: unknown) {
  const seen: unknown[] = [];
  server = createServer(async (req, res) => {
    let text = "";
    for await (const c of req) text += c;
    seen.push({ path: req.url, body: JSON.parse(text) });
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function memoryStore(initial: { identity?: AgentIdentity; bootstrapToken?: string }): IdentityStore & { saved: AgentIdentity[] } {
  const saved: AgentIdentity[] = [];
  return {
    saved,
    load: async () => ({ identity: saved.at(-1) ?? initial.identity ?? null, bootstrapToken: initial.bootstrapToken ?? null }),
    save: async (i) => void saved.push(i),
  };
}

const cpKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }) as string;
const answer = { clusterId: "0b6f9a52-3a39-4c7e-9d55-0a4f3c1f6a11", clusterName: "prod", controlPlanePublicKeyPem: cpKey, ingestToken: "nops_x_y" };

describe("ensureIdentity", () => {
  it("trades the bootstrap token and a fresh P-256 public key for an identity, and saves it", async () => {
    const cp = await controlPlane(200, answer);
    const store = memoryStore({ bootstrapToken: "nob_token" });
    const identity = await ensureIdentity(store, { controlPlaneUrl: cp.url, version: "0.1.0" });
    expect(cp.seen).toHaveLength(1);
    const sent = (cp.seen[0] as { path: string; body: { bootstrapToken: string; publicKeyPem: string; version: string } });
    expect(sent.path).toBe("/api/v1/agent/enroll");
    expect(sent.body.bootstrapToken).toBe("nob_token");
    expect(sent.body.version).toBe("0.1.0");
    expect(createPublicKey(sent.body.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(sent.body).not.toHaveProperty("privateKeyPem");
    expect(identity).toMatchObject({ clusterId: answer.clusterId, controlPlanePublicKeyPem: cpKey, ingestToken: "nops_x_y", publicKeyPem: sent.body.publicKeyPem });
    expect(identity.privateKeyPem).toContain("BEGIN PRIVATE KEY");
    expect(store.saved).toEqual([identity]);
  });

  it("uses a stored identity without calling the control plane", async () => {
    const cp = await controlPlane(500, {});
    const stored = { ...answer, privateKeyPem: "k", publicKeyPem: "p" } as unknown as AgentIdentity;
    expect(await ensureIdentity(memoryStore({ identity: stored, bootstrapToken: "nob_old" }), { controlPlaneUrl: cp.url, version: "0.1.0" })).toBe(stored);
    expect(cp.seen).toHaveLength(0);
  });

  it("a refused token is permanent; a server error is not; no token at all says what to do", async () => {
    const refused = await controlPlane(401, { error: { code: "unauthenticated", message: "the bootstrap token is invalid, already used or expired" } });
    const e1 = await ensureIdentity(memoryStore({ bootstrapToken: "nob_used" }), { controlPlaneUrl: refused.url, version: "0.1.0" }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(EnrollmentError);
    expect(e1).toMatchObject({ permanent: true, message: "enrollment refused (401): the bootstrap token is invalid, already used or expired" });
    await new Promise<void>((r) => server!.close(() => r()));

    const down = await controlPlane(503, {});
    const e2 = await ensureIdentity(memoryStore({ bootstrapToken: "nob_ok" }), { controlPlaneUrl: down.url, version: "0.1.0" }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ permanent: false });

    await expect(ensureIdentity(memoryStore({}), { controlPlaneUrl: down.url, version: "0.1.0" })).rejects.toThrow(/no identity and no bootstrap token/);
  });
});
