// The Vault provider over real HTTP against test/vault-stub.ts, which answers with the documented KV v2 shapes.
// Every read is under the organization's own path, `<VAULT_PREFIX>/<org slug>/<name>` (default prefix `neuralops`).
import { afterEach, describe, expect, it } from "vitest";
import { createVaultSecretProvider, SecretError, secretProviderFromEnv, type SecretErrorCode, type VaultConfig } from "@/lib/secrets/providers";
import { startVaultStub, type VaultStub, type VaultStubOptions } from "@/test/vault-stub";

const TOKEN = "hvs.test-token-0123456789";
const VALUE = "xoxb-webhook-value-do-not-leak";

const ORG = "acme";
const OTHER_VALUE = "org-b-value-do-not-leak-either";

const SECRETS = {
  "neuralops/acme/slack/webhook": { value: VALUE, url: `https://hooks.example/${VALUE}` },
  "neuralops/acme/pagerduty/routing": { key: VALUE, port: 8443, enabled: true, nested: { v: VALUE } },
  "neuralops/acme/team-a/db.prod/pass_word": { value: VALUE },
  "neuralops/acme/locked/app": { value: VALUE },
  "teams/neuralops/acme/slack/webhook": { value: VALUE },
  "neuralops/org-b/slack/webhook": { value: OTHER_VALUE },
};
const at = { org: ORG };

const stubs: VaultStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

async function stub(opts: Partial<VaultStubOptions> = {}): Promise<VaultStub> {
  const s = await startVaultStub({ token: TOKEN, secrets: SECRETS, deniedPaths: ["neuralops/acme/locked/app"], ...opts });
  stubs.push(s);
  return s;
}

function vault(s: { url: string }, config: Partial<VaultConfig> = {}) {
  return createVaultSecretProvider({ addr: s.url, token: TOKEN, ...config });
}

async function expectCode(p: Promise<unknown>, code: SecretErrorCode): Promise<string> {
  const e = await p.then(
    () => expect.fail(`expected SecretError ${code}`),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SecretError);
  const { code: actual, message } = e as SecretError;
  expect(actual).toBe(code);
  expect(message).not.toContain(VALUE);
  expect(message).not.toContain(TOKEN);
  return message;
}

describe("Vault KV v2 provider", () => {
  it("reads `value` without #key and the named key with it, sending X-Vault-Token", async () => {
    const s = await stub();
    const p = vault(s);
    expect(await p.get("slack/webhook", at)).toBe(VALUE);
    expect(await p.get("slack/webhook#url", at)).toBe(`https://hooks.example/${VALUE}`);
    expect(await p.get("pagerduty/routing#port", at)).toBe("8443");
    expect(await p.get("pagerduty/routing#enabled", at)).toBe("true");
    expect(s.requests).toEqual([
      { method: "GET", path: "/v1/secret/data/neuralops/acme/slack/webhook", token: TOKEN },
      { method: "GET", path: "/v1/secret/data/neuralops/acme/slack/webhook", token: TOKEN },
      { method: "GET", path: "/v1/secret/data/neuralops/acme/pagerduty/routing", token: TOKEN },
      { method: "GET", path: "/v1/secret/data/neuralops/acme/pagerduty/routing", token: TOKEN },
    ]);
  });

  it("keeps `/` as the path separator, never sends #key, and uses the configured mount", async () => {
    const s = await stub();
    expect(await vault(s, { mount: "kv" }).get("team-a/db.prod/pass_word", at)).toBe(VALUE);
    expect(await vault(s, { mount: "team kv" }).get("pagerduty/routing#key", at)).toBe(VALUE);
    expect(s.requests.map((r) => r.path)).toEqual(["/v1/kv/data/neuralops/acme/team-a/db.prod/pass_word", "/v1/team%20kv/data/neuralops/acme/pagerduty/routing"]);
  });

  it("secretProviderFromEnv reads VAULT_ADDR, VAULT_TOKEN and VAULT_KV_MOUNT", async () => {
    const s = await stub();
    const p = secretProviderFromEnv({ VAULT_ADDR: s.url, VAULT_TOKEN: TOKEN, VAULT_KV_MOUNT: "kv2", NEURALOPS_SECRET_ACME__SLACK_WEBHOOK: "from-env" });
    expect(await p.get("slack/webhook", at)).toBe(VALUE);
    expect(s.requests).toEqual([{ method: "GET", path: "/v1/kv2/data/neuralops/acme/slack/webhook", token: TOKEN }]);
  });

  it("VAULT_PREFIX moves every organization's subtree", async () => {
    const s = await stub();
    const p = secretProviderFromEnv({ VAULT_ADDR: s.url, VAULT_TOKEN: TOKEN, VAULT_PREFIX: "teams/neuralops" });
    expect(await p.get("slack/webhook", at)).toBe(VALUE);
    expect(s.requests.map((r) => r.path)).toEqual(["/v1/secret/data/teams/neuralops/acme/slack/webhook"]);
  });

  it("wrong token → forbidden, with Vault's reason", async () => {
    const s = await stub();
    const msg = await expectCode(vault(s, { token: "hvs.wrong" }).get("slack/webhook", at), "forbidden");
    expect(msg).toContain("permission denied");
    expect(s.requests[0]?.token).toBe("hvs.wrong");
  });

  it("denied path → forbidden", async () => {
    const s = await stub();
    expect(await expectCode(vault(s).get("locked/app", at), "forbidden")).toContain("permission denied");
  });

  it("unknown path → not_found", async () => {
    const s = await stub();
    expect(await expectCode(vault(s).get("no/such/secret", at), "not_found")).toContain("no/such/secret");
  });

  it("an organization reads only its own subtree: org B cannot reach org A's secret, by its name or by its full path", async () => {
    const s = await stub();
    const p = vault(s);
    expect(await p.get("slack/webhook", { org: "org-b" })).toBe(OTHER_VALUE);
    await expectCode(p.get("neuralops/acme/slack/webhook", { org: "org-b" }), "not_found");
    await expectCode(p.get("acme/slack/webhook", { org: "org-b" }), "not_found");
    expect(s.requests.map((r) => r.path)).toEqual([
      "/v1/secret/data/neuralops/org-b/slack/webhook",
      "/v1/secret/data/neuralops/org-b/neuralops/acme/slack/webhook",
      "/v1/secret/data/neuralops/org-b/acme/slack/webhook",
    ]);
  });

  it("does not follow a redirect: the token never reaches the address it points to", async () => {
    const elsewhere = await stub();
    const s = await stub({ redirectTo: elsewhere.url });
    const msg = await expectCode(vault(s).get("slack/webhook", at), "unavailable");
    expect(msg).toMatch(/redirect/);
    expect(s.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("missing key → not_found; an object value → not_found, not a string", async () => {
    const s = await stub();
    expect(await expectCode(vault(s).get("slack/webhook#nope", at), "not_found")).toContain('"nope"');
    expect(await expectCode(vault(s).get("pagerduty/routing", at), "not_found")).toContain('"value"');
    expect(await expectCode(vault(s).get("pagerduty/routing#nested", at), "not_found")).toContain("not a string");
  });

  it("server down → unavailable", async () => {
    const s = await startVaultStub({ token: TOKEN, secrets: SECRETS });
    await s.close();
    const msg = await expectCode(vault(s).get("slack/webhook", at), "unavailable");
    expect(msg).toContain("ECONNREFUSED");
  });

  it("no answer → unavailable once timeoutMs has passed", async () => {
    const s = await stub({ stall: true });
    const t0 = performance.now();
    const msg = await expectCode(vault(s, { timeoutMs: 300 }).get("slack/webhook", at), "unavailable");
    const elapsed = performance.now() - t0;
    expect(msg).toContain("300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2_000);
    expect(s.requests).toHaveLength(1);
  });

  it("the caller's signal aborts the read → unavailable", async () => {
    const s = await stub({ stall: true });
    const msg = await expectCode(vault(s, { timeoutMs: 10_000 }).get("slack/webhook", { ...at, signal: AbortSignal.timeout(100) }), "unavailable");
    expect(msg).toContain("aborted");
  });
});
