import { describe, expect, it } from "vitest";
import {
  createEnvSecretProvider,
  createVaultSecretProvider,
  envVarForSecret,
  SecretError,
  secretProviderFromEnv,
  type SecretErrorCode,
} from "@/lib/secrets/providers";

const VALUE = "s3cr3t-value-do-not-leak";

/** Resolves to the SecretError a promise rejects with; fails the test on success or any other error. */
async function secretError(p: Promise<unknown>): Promise<SecretError> {
  const e = await p.then(
    () => expect.fail("expected a SecretError"),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SecretError);
  return e as SecretError;
}

async function expectCode(p: Promise<unknown>, code: SecretErrorCode): Promise<string> {
  const e = await secretError(p);
  expect(e.code).toBe(code);
  expect(e.message).not.toContain(VALUE);
  return e.message;
}

const ORG = { org: "acme" };

describe("env secret provider", () => {
  it.each([
    ["SLACK_WEBHOOK_URL", "NEURALOPS_SECRET_ACME__SLACK_WEBHOOK_URL"],
    ["slack/webhook#url", "NEURALOPS_SECRET_ACME__SLACK_WEBHOOK_URL"],
    ["FOO.bar/baz", "NEURALOPS_SECRET_ACME__FOO_BAR_BAZ"],
    ["pagerduty/routing#key", "NEURALOPS_SECRET_ACME__PAGERDUTY_ROUTING_KEY"],
    ["a-b_c.d", "NEURALOPS_SECRET_ACME__A_B_C_D"],
  ])("%s → %s", async (name, variable) => {
    expect(envVarForSecret("acme", name)).toBe(variable);
    expect(await createEnvSecretProvider({ [variable]: VALUE }).get(name, ORG)).toBe(VALUE);
  });

  it("the organization's slug is part of the variable: upper-cased, dashes → _, then a double underscore", () => {
    expect(envVarForSecret("acme-prod", "TOKEN")).toBe("NEURALOPS_SECRET_ACME_PROD__TOKEN");
    expect(envVarForSecret("demo", "slack/webhook#url")).toBe("NEURALOPS_SECRET_DEMO__SLACK_WEBHOOK_URL");
  });

  it("org B cannot read org A's variable, not even by naming it", async () => {
    const p = createEnvSecretProvider({ NEURALOPS_SECRET_ACME__TOKEN: VALUE, NEURALOPS_SECRET_ACME_PROD__TOKEN: "prod" });
    expect(await p.get("TOKEN", ORG)).toBe(VALUE);
    expect(await p.get("TOKEN", { org: "acme-prod" })).toBe("prod");
    await expectCode(p.get("ACME__TOKEN", { org: "org-b" }), "not_found");
    await expectCode(p.get("acme/_token", { org: "org-b" }), "not_found");
    // "acme" reading PROD__TOKEN and "acme-prod" reading TOKEN name different variables.
    await expectCode(p.get("PROD__TOKEN", ORG), "not_found");
  });

  it("no two (organization, name) pairs share a variable: slugs that would make the split ambiguous are refused", async () => {
    const p = createEnvSecretProvider({ NEURALOPS_SECRET_A__B__C: VALUE });
    // "a--b" would map to A__B, so A__B__C could be its C or org a's B__C.
    expect(await expectCode(p.get("C", { org: "a--b" }), "invalid_name")).toMatch(/a--b/);
    expect(await expectCode(p.get("C", { org: "a-" }), "invalid_name")).toMatch(/a-/);
    expect(await p.get("b/_c", { org: "a" })).toBe(VALUE);
  });

  it("missing or empty → not_found naming the variable to set", async () => {
    const p = createEnvSecretProvider({ NEURALOPS_SECRET_ACME__EMPTY: "" });
    expect(await expectCode(p.get("slack/webhook#url", ORG), "not_found")).toContain("NEURALOPS_SECRET_ACME__SLACK_WEBHOOK_URL");
    expect(await expectCode(p.get("empty", ORG), "not_found")).toContain("NEURALOPS_SECRET_ACME__EMPTY");
  });

  it("reads only NEURALOPS_SECRET_<ORG>__* variables, whatever the name", async () => {
    const read: string[] = [];
    const env = new Proxy<Record<string, string>>(
      { DATABASE_URL: VALUE, NEXTAUTH_SECRET: VALUE, PATH: VALUE, NEURALOPS_SECRET_ACME__X: "x" },
      {
        get(target, key) {
          read.push(String(key));
          return Reflect.get(target, key);
        },
      },
    );
    const p = createEnvSecretProvider(env);
    const names = ["DATABASE_URL", "database_url", "database/url", "x#DATABASE_URL", "../DATABASE_URL", "/DATABASE_URL", "NEXTAUTH_SECRET", "PATH", "", "__proto__"];
    for (const name of names) {
      const e = await secretError(p.get(name, ORG));
      expect(["not_found", "invalid_name"]).toContain(e.code);
      expect(e.message).not.toContain(VALUE);
    }
    expect(await p.get("x", ORG)).toBe("x");
    expect(read.length).toBeGreaterThan(0);
    for (const key of read) expect(key).toMatch(/^NEURALOPS_SECRET_ACME__[A-Z0-9_]+$/);
  });

  it("defaults to process.env", async () => {
    process.env.NEURALOPS_SECRET_ACME__UNIT_DEFAULT_ENV = VALUE;
    try {
      expect(await createEnvSecretProvider().get("unit/default-env", ORG)).toBe(VALUE);
    } finally {
      delete process.env.NEURALOPS_SECRET_ACME__UNIT_DEFAULT_ENV;
    }
  });
});

describe("secret names", () => {
  const valid = ["SLACK_WEBHOOK_URL", "pagerduty/routing#key", "a", "a.b/c-d_e#f.g", "x".repeat(200), "team/.hidden", "a/b#c/d"];
  const invalid = [
    "",
    "x".repeat(201),
    "a b",
    "a#b#c",
    "a#",
    "#a",
    "a$b",
    "ä",
    "a\nb",
    "a:b",
    "a%2e%2e/b",
    "..",
    "../x",
    "a/../b",
    "a/..",
    "a/..#k",
    ".",
    "a/./b",
    "/a",
    "a/",
    "a//b",
  ];

  it.each(valid)("accepts %j", (name) => {
    expect(() => envVarForSecret("acme", name)).not.toThrow();
  });

  it.each(invalid)("rejects %j", async (name) => {
    const env = { [`NEURALOPS_SECRET_ACME__${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`]: VALUE };
    await expectCode(createEnvSecretProvider(env).get(name, ORG), "invalid_name");
    await expectCode(vaultWith(() => expect.fail("must not call Vault")).get(name, ORG), "invalid_name");
  });
});

// Response parsing, with fetch injected; the HTTP exchange itself is covered by vault.int.test.ts.
function vaultWith(respond: (url: string) => Response): ReturnType<typeof createVaultSecretProvider> {
  return createVaultSecretProvider({ addr: "https://vault.test:8200", token: "t0ken", fetch: async (url) => respond(String(url)) });
}

function kv(data: Record<string, unknown> | null, metadata: Record<string, unknown> = {}): unknown {
  return {
    request_id: "0b8c1d0e-6f0a-4b9e-9a57-5b3f9a1c2d3e",
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data: { data, metadata: { created_time: "2024-01-01T00:00:00Z", custom_metadata: null, deletion_time: "", destroyed: false, version: 2, ...metadata } },
    wrap_info: null,
    warnings: null,
    auth: null,
  };
}

describe("vault provider: responses", () => {
  it("numbers and booleans are returned as strings", async () => {
    const p = vaultWith(() => Response.json(kv({ n: 42, b: false, s: VALUE })));
    expect(await p.get("app#n", ORG)).toBe("42");
    expect(await p.get("app#b", ORG)).toBe("false");
    expect(await p.get("app#s", ORG)).toBe(VALUE);
  });

  it.each([[{ nested: VALUE }], [[VALUE]], [null]])("a %j value → not_found, not a string", async (v) => {
    const msg = await expectCode(vaultWith(() => Response.json(kv({ k: v }))).get("app#k", ORG), "not_found");
    expect(msg).toContain("not a string");
  });

  it("a deleted or destroyed version → not_found (Vault sends 404 with the envelope; a 200 with null data too)", async () => {
    const deleted = kv(null, { deletion_time: "2024-02-01T00:00:00Z" });
    expect(await expectCode(vaultWith(() => Response.json(deleted, { status: 404 })).get("app", ORG), "not_found")).toContain("deleted");
    expect(await expectCode(vaultWith(() => Response.json(deleted)).get("app", ORG), "not_found")).toContain("deleted");
    const destroyed = kv(null, { destroyed: true });
    expect(await expectCode(vaultWith(() => Response.json(destroyed, { status: 404 })).get("app", ORG), "not_found")).toContain("destroyed");
  });

  it("a 200 that is not a KV v2 secret → unavailable, without echoing the body", async () => {
    await expectCode(vaultWith(() => Response.json({ data: VALUE })).get("app", ORG), "unavailable");
    await expectCode(vaultWith(() => new Response(`value=${VALUE}`)).get("app", ORG), "unavailable");
  });

  it.each([400, 401, 429, 500, 503])("HTTP %i → unavailable", async (status) => {
    await expectCode(vaultWith(() => Response.json({ errors: [] }, { status })).get("app", ORG), "unavailable");
  });

  it("keeps a path prefix in the address, encodes the mount and sends the namespace", async () => {
    const calls: { url: string; headers: Headers }[] = [];
    const p = createVaultSecretProvider({
      addr: "https://proxy.test/vault/",
      token: "t",
      mount: "team kv",
      namespace: "ops/prod",
      fetch: async (url, init) => {
        calls.push({ url: String(url), headers: new Headers(init?.headers) });
        return Response.json(kv({ value: "v" }));
      },
    });
    expect(await p.get("a/b", ORG)).toBe("v");
    expect(calls.map((c) => c.url)).toEqual(["https://proxy.test/vault/v1/team%20kv/data/neuralops/acme/a/b"]);
    expect(calls[0]?.headers.get("x-vault-namespace")).toBe("ops/prod");
    expect(calls[0]?.headers.get("x-vault-token")).toBe("t");
  });
});

describe("secretProviderFromEnv", () => {
  it("env provider without VAULT_ADDR", async () => {
    const p = secretProviderFromEnv({ NEURALOPS_SECRET_ACME__A: "1" });
    expect(p.name).toBe("env");
    expect(await p.get("a", ORG)).toBe("1");
  });

  it("Vault provider with VAULT_ADDR and VAULT_TOKEN", () => {
    expect(secretProviderFromEnv({ VAULT_ADDR: "https://vault.internal:8200", VAULT_TOKEN: "t" }).name).toBe("vault");
  });

  it("refuses an http:// VAULT_ADDR (the token would cross the network in clear) unless it is loopback or VAULT_ALLOW_HTTP=true", () => {
    expect(() => secretProviderFromEnv({ VAULT_ADDR: "http://vault.internal:8200", VAULT_TOKEN: "t" })).toThrow(/VAULT_ALLOW_HTTP/);
    expect(() => createVaultSecretProvider({ addr: "http://10.0.0.5:8200", token: "t" })).toThrow(/https/);
    expect(secretProviderFromEnv({ VAULT_ADDR: "http://vault.internal:8200", VAULT_TOKEN: "t", VAULT_ALLOW_HTTP: "true" }).name).toBe("vault");
    for (const addr of ["http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200", "http://127.1.2.3:8200"]) {
      expect(secretProviderFromEnv({ VAULT_ADDR: addr, VAULT_TOKEN: "t" }).name).toBe("vault");
    }
  });

  it("VAULT_ADDR without VAULT_TOKEN is a configuration error", () => {
    expect(() => secretProviderFromEnv({ VAULT_ADDR: "http://127.0.0.1:8200" })).toThrow(/VAULT_TOKEN/);
  });
});
