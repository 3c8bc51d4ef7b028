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

describe("env secret provider", () => {
  it.each([
    ["SLACK_WEBHOOK_URL", "NEURALOPS_SECRET_SLACK_WEBHOOK_URL"],
    ["slack/webhook#url", "NEURALOPS_SECRET_SLACK_WEBHOOK_URL"],
    ["FOO.bar/baz", "NEURALOPS_SECRET_FOO_BAR_BAZ"],
    ["pagerduty/routing#key", "NEURALOPS_SECRET_PAGERDUTY_ROUTING_KEY"],
    ["a-b_c.d", "NEURALOPS_SECRET_A_B_C_D"],
  ])("%s → %s", async (name, variable) => {
    expect(envVarForSecret(name)).toBe(variable);
    expect(await createEnvSecretProvider({ [variable]: VALUE }).get(name)).toBe(VALUE);
  });

  it("missing or empty → not_found naming the variable to set", async () => {
    const p = createEnvSecretProvider({ NEURALOPS_SECRET_EMPTY: "" });
    expect(await expectCode(p.get("slack/webhook#url"), "not_found")).toContain("NEURALOPS_SECRET_SLACK_WEBHOOK_URL");
    expect(await expectCode(p.get("empty"), "not_found")).toContain("NEURALOPS_SECRET_EMPTY");
  });

  it("reads only NEURALOPS_SECRET_* variables, whatever the name", async () => {
    const read: string[] = [];
    const env = new Proxy<Record<string, string>>(
      { DATABASE_URL: VALUE, NEXTAUTH_SECRET: VALUE, PATH: VALUE, NEURALOPS_SECRET_X: "x" },
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
      const e = await secretError(p.get(name));
      expect(["not_found", "invalid_name"]).toContain(e.code);
      expect(e.message).not.toContain(VALUE);
    }
    expect(await p.get("x")).toBe("x");
    expect(read.length).toBeGreaterThan(0);
    for (const key of read) expect(key).toMatch(/^NEURALOPS_SECRET_[A-Z0-9_]+$/);
  });

  it("defaults to process.env", async () => {
    process.env.NEURALOPS_SECRET_UNIT_DEFAULT_ENV = VALUE;
    try {
      expect(await createEnvSecretProvider().get("unit/default-env")).toBe(VALUE);
    } finally {
      delete process.env.NEURALOPS_SECRET_UNIT_DEFAULT_ENV;
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
    expect(() => envVarForSecret(name)).not.toThrow();
  });

  it.each(invalid)("rejects %j", async (name) => {
    const env = { [`NEURALOPS_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`]: VALUE };
    await expectCode(createEnvSecretProvider(env).get(name), "invalid_name");
    await expectCode(vaultWith(() => expect.fail("must not call Vault")).get(name), "invalid_name");
  });
});

// Response parsing, with fetch injected; the HTTP exchange itself is covered by vault.int.test.ts.
function vaultWith(respond: (url: string) => Response): ReturnType<typeof createVaultSecretProvider> {
  return createVaultSecretProvider({ addr: "http://vault.test:8200", token: "t0ken", fetch: async (url) => respond(String(url)) });
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
    expect(await p.get("app#n")).toBe("42");
    expect(await p.get("app#b")).toBe("false");
    expect(await p.get("app#s")).toBe(VALUE);
  });

  it.each([[{ nested: VALUE }], [[VALUE]], [null]])("a %j value → not_found, not a string", async (v) => {
    const msg = await expectCode(vaultWith(() => Response.json(kv({ k: v }))).get("app#k"), "not_found");
    expect(msg).toContain("not a string");
  });

  it("a deleted or destroyed version → not_found (Vault sends 404 with the envelope; a 200 with null data too)", async () => {
    const deleted = kv(null, { deletion_time: "2024-02-01T00:00:00Z" });
    expect(await expectCode(vaultWith(() => Response.json(deleted, { status: 404 })).get("app"), "not_found")).toContain("deleted");
    expect(await expectCode(vaultWith(() => Response.json(deleted)).get("app"), "not_found")).toContain("deleted");
    const destroyed = kv(null, { destroyed: true });
    expect(await expectCode(vaultWith(() => Response.json(destroyed, { status: 404 })).get("app"), "not_found")).toContain("destroyed");
  });

  it("a 200 that is not a KV v2 secret → unavailable, without echoing the body", async () => {
    await expectCode(vaultWith(() => Response.json({ data: VALUE })).get("app"), "unavailable");
    await expectCode(vaultWith(() => new Response(`value=${VALUE}`)).get("app"), "unavailable");
  });

  it.each([400, 401, 429, 500, 503])("HTTP %i → unavailable", async (status) => {
    await expectCode(vaultWith(() => Response.json({ errors: [] }, { status })).get("app"), "unavailable");
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
    expect(await p.get("a/b")).toBe("v");
    expect(calls.map((c) => c.url)).toEqual(["https://proxy.test/vault/v1/team%20kv/data/a/b"]);
    expect(calls[0]?.headers.get("x-vault-namespace")).toBe("ops/prod");
    expect(calls[0]?.headers.get("x-vault-token")).toBe("t");
  });
});

describe("secretProviderFromEnv", () => {
  it("env provider without VAULT_ADDR", async () => {
    const p = secretProviderFromEnv({ NEURALOPS_SECRET_A: "1" });
    expect(p.name).toBe("env");
    expect(await p.get("a")).toBe("1");
  });

  it("Vault provider with VAULT_ADDR and VAULT_TOKEN", () => {
    expect(secretProviderFromEnv({ VAULT_ADDR: "http://127.0.0.1:8200", VAULT_TOKEN: "t" }).name).toBe("vault");
  });

  it("VAULT_ADDR without VAULT_TOKEN is a configuration error", () => {
    expect(() => secretProviderFromEnv({ VAULT_ADDR: "http://127.0.0.1:8200" })).toThrow(/VAULT_TOKEN/);
  });
});
