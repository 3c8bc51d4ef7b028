// The agent's only listener, inside the cluster (a ClusterIP Service, never exposed): health probes and
// the remote_write relay. The in-cluster Prometheus remote_writes here; each batch is size-checked and
// forwarded outbound to the control plane with the agent's own ingest token, so no credential for the
// control plane has to be handed to Prometheus.
//
// The relay lends that ingest token to whoever it forwards for, so it forwards only for Prometheus: a request
// must carry `Authorization: Bearer <relay secret>`, the secret from the Secret neuralops-agent-relay that
// both the agent and Prometheus mount (and a NetworkPolicy admits only the Prometheus pods to the port).
import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A shorter relay secret (or the plain manifests' placeholder) counts as none: every write is refused. */
export const RELAY_SECRET_MIN_LENGTH = 32;

export type RelayOptions = {
  host: string;
  port: number;
  controlPlaneUrl: string;
  ingestToken: string;
  /** File holding the relay secret (the mounted Secret); read per request, so a rotation needs no restart. */
  relaySecretFile: string;
  maxWriteBytes: number;
  ready: () => boolean;
  log?: (line: string) => void;
};

const FORWARDED_HEADERS = ["content-type", "content-encoding", "x-prometheus-remote-write-version", "user-agent"];

class TooLarge extends Error {}

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest();

/** The relay secret as mounted now, or null when there is none usable. */
async function relaySecret(file: string): Promise<string | null> {
  try {
    const s = (await readFile(file, "utf8")).trim();
    return s.length >= RELAY_SECRET_MIN_LENGTH ? s : null;
  } catch {
    return null;
  }
}

/** Constant time, and over digests so that neither the secret nor its length leaks through timing. */
function presents(header: string | undefined, secret: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? "");
  return !!m && timingSafeEqual(sha256(m[1]!), sha256(secret));
}

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startRelay(opts: RelayOptions): Promise<Server & { port: number }> {
  let warned = false;
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(body);
    };
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/healthz") return reply(200, "ok\n");
    if (req.method === "GET" && path === "/readyz") return opts.ready() ? reply(200, "connected\n") : reply(503, "not connected to the control plane\n");
    if (path !== "/api/v1/write") return reply(404, "not found\n");
    if (req.method !== "POST") return reply(405, "POST only\n");
    // Before the body is read: an unauthenticated request costs nothing and learns nothing about limits.
    const secret = await relaySecret(opts.relaySecretFile);
    if (!secret && !warned) {
      warned = true;
      opts.log?.(`no usable relay secret in ${opts.relaySecretFile} (missing, or under ${RELAY_SECRET_MIN_LENGTH} characters): every remote_write is refused`);
    }
    if (!secret || !presents(req.headers.authorization, secret)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="neuralops-agent-relay"', connection: "close" });
      return res.end("the relay secret (Secret neuralops-agent-relay) is required: authorization: {credentials_file: ...} in remote_write\n");
    }
    if (Number(req.headers["content-length"] ?? 0) > opts.maxWriteBytes) return reply(413, `batch over ${opts.maxWriteBytes} bytes; lower remote_write queue_config.max_samples_per_send\n`);
    let body: Buffer;
    try {
      body = await readLimited(req, opts.maxWriteBytes);
    } catch (e) {
      if (e instanceof TooLarge) return reply(413, `batch over ${opts.maxWriteBytes} bytes; lower remote_write queue_config.max_samples_per_send\n`);
      return reply(400, "could not read the body\n");
    }
    const headers: Record<string, string> = { authorization: `Bearer ${opts.ingestToken}` };
    for (const h of FORWARDED_HEADERS) if (typeof req.headers[h] === "string") headers[h] = req.headers[h] as string;
    try {
      const upstream = await fetch(`${opts.controlPlaneUrl}/api/v1/write`, { method: "POST", headers, body: new Uint8Array(body), signal: AbortSignal.timeout(30_000) });
      // Prometheus retries 5xx and 429 and drops other 4xx: pass the control plane's verdict through.
      reply(upstream.status, await upstream.text());
    } catch (e) {
      reply(502, `control plane unreachable: ${(e as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}
