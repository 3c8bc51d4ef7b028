/**
 * Run-time secret providers: resolve the names in a playbook's `{{ secret "name" }}` when a step
 * executes. Values are fetched on every call, never cached, so a rotated or revoked secret takes
 * effect on the next step. No error message carries a secret value (or the Vault token); names are
 * fine, approvers already see them in the plan.
 *
 * Every read is for one organization and stays inside its namespace: the environment variable
 * NEURALOPS_SECRET_<ORG>__<NAME>, or the Vault path <prefix>/<org slug>/<name>. A playbook chooses the
 * name, never the organization, so it cannot reach another organization's secrets (which names its
 * own organization lets it read is lib/secrets/grants.ts).
 */
import { z } from "zod";

export type SecretReadOptions = {
  /** Slug of the organization whose namespace is read. */
  org: string;
  signal?: AbortSignal;
};

export type SecretProvider = {
  name: string;
  get(name: string, opts: SecretReadOptions): Promise<string>;
};

export type SecretErrorCode = "not_found" | "forbidden" | "unavailable" | "invalid_name" | "not_granted";

export class SecretError extends Error {
  constructor(
    readonly code: SecretErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SecretError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const NAME_RE = /^[A-Za-z0-9_.\/-]+(#[A-Za-z0-9_.\/-]+)?$/;
const MAX_NAME_LENGTH = 200;

/** Splits `path#key` after validating it; `key` is undefined when there is no `#`. */
function parseName(name: string): { path: string; key: string | undefined } {
  if (name.length > MAX_NAME_LENGTH) throw new SecretError("invalid_name", `secret name is longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_RE.test(name)) {
    throw new SecretError("invalid_name", `invalid secret name ${JSON.stringify(name)}: use letters, digits, _ - . / and at most one # (e.g. "pagerduty/routing#key")`);
  }
  const [path = "", key] = name.split("#");
  // URL parsing rewrites dot segments (`a/../../sys/x` escapes the KV mount) and empty segments are
  // typos; refusing them keeps one name ↔ one Vault path.
  if (path.split("/").some((s) => s === "" || s === "." || s === "..")) {
    throw new SecretError("invalid_name", `invalid secret name ${JSON.stringify(name)}: empty, "." and ".." path segments are not allowed`);
  }
  return { path, key };
}

const ORG_SLUG_RE = /^[a-z0-9][a-z0-9-]*$/;

function checkOrg(org: string): string {
  if (typeof org !== "string" || !ORG_SLUG_RE.test(org)) throw new SecretError("invalid_name", `secrets are read for an organization slug, not ${JSON.stringify(org)}`);
  return org;
}

// ---------------------------------------------------------------------------------------------------
// Environment

export const ENV_SECRET_PREFIX = "NEURALOPS_SECRET_";

const envPart = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * (`acme-prod`, `slack/webhook#url`) → `NEURALOPS_SECRET_ACME_PROD__SLACK_WEBHOOK_URL`. Distinct names of
 * one organization may share a variable; two organizations never do: the organization part contains no
 * `__` and ends with a letter or digit, so the first `__` after the prefix always ends it. Slugs that
 * would break that (`a--b`, `a-`) are refused rather than risk reading a neighbour's variable.
 */
export function envVarForSecret(org: string, name: string): string {
  parseName(name);
  const orgPart = envPart(checkOrg(org));
  if (!/^[A-Z0-9]+(_[A-Z0-9]+)*$/.test(orgPart)) {
    throw new SecretError("invalid_name", `organization '${org}' cannot use environment secrets: a slug with "--" or a trailing "-" would make NEURALOPS_SECRET_<ORG>__<NAME> ambiguous; use Vault`);
  }
  return `${ENV_SECRET_PREFIX}${orgPart}__${envPart(name)}`;
}

/**
 * Reads `NEURALOPS_SECRET_<ORG>__*` variables only. Playbook authors choose secret names, and the
 * worker's environment also holds DATABASE_URL, NEXTAUTH_SECRET, OIDC_CLIENT_SECRET…; without the fixed
 * prefix anyone who can edit a playbook could send those to a webhook of their choosing, and without the
 * organization part one organization's playbook could read another's.
 */
export function createEnvSecretProvider(env: Env = process.env): SecretProvider {
  return {
    name: "env",
    async get(name, { org }) {
      const variable = envVarForSecret(org, name);
      const value = env[variable];
      if (!value) throw new SecretError("not_found", `secret ${JSON.stringify(name)} not found: environment variable ${variable} is not set or empty`);
      return value;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// HashiCorp Vault, KV secrets engine version 2 (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version)

export type VaultConfig = {
  /** e.g. `https://vault.internal:8200`. `http:` only for a loopback address or with allowHttp. */
  addr: string;
  token: string;
  /** Accept an `http:` address that is not loopback (the token then crosses the network in clear). */
  allowHttp?: boolean;
  /** Mount path of the KV v2 engine. Default `secret`. */
  mount?: string;
  /** Path under the mount that holds one subtree per organization slug. Default `neuralops`. */
  prefix?: string;
  /** Vault Enterprise namespace. */
  namespace?: string;
  /** Deadline for one read (connect + response body). Default 5000. */
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
};

const VaultErrors = z.object({ errors: z.array(z.string()) });

const KvRead = z.object({
  data: z.object({
    // null when the requested version was deleted or destroyed.
    data: z.record(z.string(), z.unknown()).nullable(),
    metadata: z.object({ deletion_time: z.string(), destroyed: z.boolean() }).partial().nullish(),
  }),
});

const DEFAULT_VAULT_KEY = "value";

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function createVaultSecretProvider(config: VaultConfig): SecretProvider {
  const base = new URL(config.addr);
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error(`Vault address must be http(s): ${config.addr}`);
  // The token goes with every request; in clear only to this machine (Vault's dev server listens on
  // http://127.0.0.1:8200) or when the operator says so.
  if (base.protocol === "http:" && !LOOPBACK_HOST.test(base.hostname) && !config.allowHttp) {
    throw new Error(`Vault address ${base.origin} is http:, which would send the Vault token in clear: use https, or set VAULT_ALLOW_HTTP=true`);
  }
  const prefix = (config.prefix ?? "neuralops").split("/").filter(Boolean);
  if (!prefix.length || prefix.some((s) => s === "." || s === "..")) throw new Error(`invalid Vault prefix ${JSON.stringify(config.prefix)}`);
  const basePath = base.pathname.replace(/\/+$/, "");
  const mount = (config.mount ?? "secret").split("/").filter(Boolean).map(encodeURIComponent).join("/");
  const timeoutMs = config.timeoutMs ?? 5000;
  const fetchImpl = config.fetch ?? fetch;
  const headers: Record<string, string> = { "X-Vault-Token": config.token, accept: "application/json" };
  if (config.namespace) headers["X-Vault-Namespace"] = config.namespace;

  return {
    name: "vault",
    async get(name, opts) {
      const { path: named, key = DEFAULT_VAULT_KEY } = parseName(name);
      // Always under the organization's own subtree; names cannot climb out of it (no "." or ".." segments).
      const path = [...prefix, checkOrg(opts.org), named].join("/");
      const url = new URL(`${basePath}/v1/${mount}/data/${path.split("/").map(encodeURIComponent).join("/")}`, base);
      const what = `secret ${JSON.stringify(name)}`;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;

      let status: number;
      let text: string;
      let location: string | null;
      try {
        // Never follow a redirect: it would carry X-Vault-Token to wherever the Location points.
        const res = await fetchImpl(url, { headers, signal, redirect: "manual" });
        status = res.status;
        location = res.headers.get("location");
        text = await res.text();
      } catch (e) {
        const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : opts.signal?.aborted ? "the read was aborted" : networkReason(e);
        throw new SecretError("unavailable", `cannot read ${what} from Vault at ${base.origin}: ${why}`, { cause: e });
      }
      if (status >= 300 && status < 400) {
        const to = location ? ` to ${originOf(location, base)}` : "";
        throw new SecretError("unavailable", `Vault answered with a redirect (HTTP ${status}${to}) when reading ${what}; redirects are not followed (they would carry the token): point VAULT_ADDR at the active node, or enable request forwarding`);
      }

      const body = parseJson(text);
      if (status !== 200 && status !== 404) {
        // Vault's own error strings ("permission denied", "Vault is sealed") carry no secret data.
        const errors = VaultErrors.safeParse(body);
        const detail = errors.success && errors.data.errors.length ? `: ${errors.data.errors.join("; ")}` : "";
        if (status === 403) throw new SecretError("forbidden", `Vault denied reading ${what} (HTTP 403)${detail}`);
        throw new SecretError("unavailable", `Vault answered HTTP ${status} when reading ${what}${detail}`);
      }

      const parsed = KvRead.safeParse(body);
      // Vault answers 404 with the full envelope (data null, deletion metadata set) for a deleted version.
      const secret = parsed.success ? parsed.data.data : undefined;
      if (status === 404 || secret?.data === null) {
        const why = secret?.metadata?.destroyed ? "its current version was destroyed" : secret?.metadata?.deletion_time ? "its current version was deleted" : `nothing at ${mount}/data/${path}`;
        throw new SecretError("not_found", `${what} not found in Vault: ${why}`);
      }
      // The body holds secret values: say only that its shape is wrong, never what it contains.
      if (!secret?.data) throw new SecretError("unavailable", `unexpected response from Vault when reading ${what}: not a KV v2 secret`);
      const data = secret.data;
      if (!Object.hasOwn(data, key)) throw new SecretError("not_found", `${what}: Vault secret ${path} has no key ${JSON.stringify(key)}`);
      const value = data[key];
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw new SecretError("not_found", `${what}: key ${JSON.stringify(key)} in Vault is not a string`);
    },
  };
}

/** Only the origin of a Location: its path could be anything. */
function originOf(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return "an invalid address";
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** undici reports every network failure as "fetch failed"; the useful part is the cause's code. */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.message === "string") return cause.message;
  if (typeof cause?.code === "string") return cause.code;
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------------

/** Vault when VAULT_ADDR is set (then VAULT_TOKEN is required), the environment otherwise. */
export function secretProviderFromEnv(env: Env = process.env): SecretProvider {
  if (!env.VAULT_ADDR) return createEnvSecretProvider(env);
  if (!env.VAULT_TOKEN) throw new Error("VAULT_ADDR is set but VAULT_TOKEN is not: set VAULT_TOKEN, or unset VAULT_ADDR to read secrets from NEURALOPS_SECRET_<ORG>__<NAME> variables");
  return createVaultSecretProvider({
    addr: env.VAULT_ADDR,
    token: env.VAULT_TOKEN,
    allowHttp: env.VAULT_ALLOW_HTTP === "true",
    mount: env.VAULT_KV_MOUNT || "secret",
    prefix: env.VAULT_PREFIX || "neuralops",
    ...(env.VAULT_NAMESPACE ? { namespace: env.VAULT_NAMESPACE } : {}),
  });
}

let processProvider: SecretProvider | undefined;

/** This process's provider (secretProviderFromEnv), made on first use: execution and the dry-run's resolvability check read the same place. */
export function defaultSecretProvider(): SecretProvider {
  return (processProvider ??= secretProviderFromEnv());
}
