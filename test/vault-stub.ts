/**
 * A HashiCorp Vault stand-in for tests: just the KV v2 read endpoint, `GET /v1/{mount}/data/{path}`,
 * answering with the documented response shapes (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2#read-secret-version).
 * Any mount name is accepted and all mounts hold the same `secrets`. With `stall`, requests are
 * accepted and never answered, for timeout tests.
 */
import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type VaultStubOptions = {
  token: string;
  /** Secret path (no mount, no `data/`) → its key/value pairs. */
  secrets: Record<string, Record<string, unknown>>;
  /** Paths the token's policy does not allow reading. */
  deniedPaths?: string[];
  stall?: boolean;
  /** Answer every request with 307 to this origin (what a standby node without request forwarding does). */
  redirectTo?: string;
};

export type VaultStubRequest = { method: string; path: string; token: string | undefined };

export type VaultStub = {
  url: string;
  /** In arrival order; `path` is the raw request target, as sent. */
  requests: VaultStubRequest[];
  close(): Promise<void>;
};

const CREATED = "2024-01-01T00:00:00.000000Z";

export async function startVaultStub(opts: VaultStubOptions): Promise<VaultStub> {
  const requests: VaultStubRequest[] = [];
  const denied = new Set(opts.deniedPaths);

  const server = createServer((req, res) => {
    const rawPath = req.url ?? "/";
    const token = req.headers["x-vault-token"];
    requests.push({ method: req.method ?? "", path: rawPath, token: typeof token === "string" ? token : undefined });
    if (opts.stall) return;
    if (opts.redirectTo) {
      res.writeHead(307, { location: new URL(rawPath, opts.redirectTo).toString() }).end();
      return;
    }

    // Vault checks the token before it looks at the path.
    if (token !== opts.token) return send(res, 403, { errors: ["permission denied"] });
    const path = secretPath(rawPath);
    if (req.method !== "GET" || path === undefined) return send(res, 404, { errors: [] });
    if (denied.has(path)) return send(res, 403, { errors: ["permission denied"] });
    const data = Object.hasOwn(opts.secrets, path) ? opts.secrets[path] : undefined;
    if (!data) return send(res, 404, { errors: [] });
    send(res, 200, {
      request_id: randomUUID(),
      lease_id: "",
      renewable: false,
      lease_duration: 0,
      data: { data, metadata: { created_time: CREATED, custom_metadata: null, deletion_time: "", destroyed: false, version: 1 } },
      wrap_info: null,
      warnings: null,
      auth: null,
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close() {
      // Stalled requests would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** `/v1/{mount}/data/a/b%20c` → `a/b c`; undefined for any other route. */
function secretPath(rawPath: string): string | undefined {
  const m = /^\/v1\/[^/]+\/data\/(.+)$/.exec(new URL(rawPath, "http://stub").pathname);
  try {
    return m?.[1]?.split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined; // malformed percent-encoding
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
