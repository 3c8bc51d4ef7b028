import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeKubeApi, type FakeKubeApi } from "@/test/fake-kube-api";
import { kubeConfigFor } from "./client";
import { fileIdentityStore, secretIdentityStore, type AgentIdentity } from "./identity-secret";

const NS = "neuralops";
const NAME = "neuralops-agent-identity";
const SECRET_PATH = `/api/v1/namespaces/${NS}/secrets/${NAME}`;

const identity = (n = 1): AgentIdentity => ({
  clusterId: `00000000-0000-4000-8000-00000000000${n}`,
  privateKeyPem: `-----BEGIN PRIVATE KEY-----\nprivate-${n}\n-----END PRIVATE KEY-----\n`,
  publicKeyPem: `-----BEGIN PUBLIC KEY-----\npublic-${n}\n-----END PUBLIC KEY-----\n`,
  controlPlanePublicKeyPem: `-----BEGIN PUBLIC KEY-----\ncontrol-plane-${n}\n-----END PUBLIC KEY-----\n`,
  ingestToken: `ingest-token-${n}`,
});
const secretData = (id: AgentIdentity) => ({
  "cluster-id": id.clusterId,
  "private-key.pem": id.privateKeyPem,
  "public-key.pem": id.publicKeyPem,
  "control-plane.pub.pem": id.controlPlanePublicKeyPem,
  "ingest-token": id.ingestToken,
});

describe("secretIdentityStore", () => {
  let api: FakeKubeApi;
  beforeEach(async () => {
    api = await startFakeKubeApi();
  });
  afterEach(async () => {
    await api.close();
  });
  const store = () => secretIdentityStore(kubeConfigFor({ apiUrl: api.url }), NS, NAME);

  it("loads the bootstrap token, saves the identity without it, then loads the identity", async () => {
    api.setSecret(NS, NAME, { "bootstrap-token": "bt_0123456789abcdef\n" }, { "app.kubernetes.io/name": "neuralops-agent" });
    const installed = api.getSecret(NS, NAME)!;
    const s = store();

    expect(await s.load()).toEqual({ identity: null, bootstrapToken: "bt_0123456789abcdef" });
    await s.save(identity());

    const put = api.requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe(SECRET_PATH);
    const body = put.body as { metadata: { resourceVersion: string; labels: Record<string, string> }; data: Record<string, string> };
    // Conditional on the version it read, and the installer's labels survive.
    expect(body.metadata.resourceVersion).toBe(installed.resourceVersion);
    expect(body.metadata.labels).toEqual({ "app.kubernetes.io/name": "neuralops-agent" });
    expect(Object.keys(body.data).sort()).toEqual(["cluster-id", "control-plane.pub.pem", "ingest-token", "private-key.pem", "public-key.pem"]);

    const stored = api.getSecret(NS, NAME)!;
    expect(stored.data).toEqual(secretData(identity()));
    expect(stored.resourceVersion).not.toBe(installed.resourceVersion);
    expect(stored.metadata.labels).toEqual({ "app.kubernetes.io/name": "neuralops-agent" });

    expect(await store().load()).toEqual({ identity: identity(), bootstrapToken: null });
    // get and update on the one Secret: nothing else IDENTITY_RULE does not grant.
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${SECRET_PATH}`, `PUT ${SECRET_PATH}`, `GET ${SECRET_PATH}`]);
  });

  it("save without a prior load reads the Secret first", async () => {
    api.setSecret(NS, NAME, { "bootstrap-token": "bt_0123456789abcdef" });
    await store().save(identity(2));
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "PUT"]);
    expect(api.getSecret(NS, NAME)!.data).toEqual(secretData(identity(2)));
  });

  it("a concurrent write makes save fail with the conflict instead of overwriting it", async () => {
    api.setSecret(NS, NAME, { "bootstrap-token": "bt_0123456789abcdef" });
    const a = store();
    const b = store();
    await a.load();
    await b.load();
    await b.save(identity(2));

    await expect(a.save(identity(1))).rejects.toThrow(/the object has been modified.*\(HTTP 409\)/);
    expect(api.getSecret(NS, NAME)!.data).toEqual(secretData(identity(2)));
  });

  it("a missing Secret is an error, not an empty identity", async () => {
    await expect(store().load()).rejects.toThrow(`reading the agent identity from secret ${NS}/${NAME}: secrets "${NAME}" not found (HTTP 404)`);
  });

  it("a partial identity is an error", async () => {
    const { "ingest-token": _dropped, ...partial } = secretData(identity());
    api.setSecret(NS, NAME, partial);
    await expect(store().load()).rejects.toThrow(/incomplete agent identity \(missing ingestToken\)/);
  });
});

describe("fileIdentityStore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-identity-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a missing file holds nothing", async () => {
    expect(await fileIdentityStore(join(dir, "identity.json")).load()).toEqual({ identity: null, bootstrapToken: null });
  });

  it("round trip: bootstrap token, then the identity in a 0600 file without the token", async () => {
    const path = join(dir, "identity.json");
    await writeFile(path, JSON.stringify({ bootstrapToken: " bt_fedcba9876543210 " }), { mode: 0o644 });
    const s = fileIdentityStore(path);
    expect(await s.load()).toEqual({ identity: null, bootstrapToken: "bt_fedcba9876543210" });

    await s.save(identity(3));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(identity(3));
    expect(await fileIdentityStore(path).load()).toEqual({ identity: identity(3), bootstrapToken: null });
  });

  it("creates missing parent directories", async () => {
    const path = join(dir, "state", "identity.json");
    await fileIdentityStore(path).save(identity(4));
    expect(await fileIdentityStore(path).load()).toEqual({ identity: identity(4), bootstrapToken: null });
  });
});
