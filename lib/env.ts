// Environment, validated once. Importable from the web app, workers, the CLI and tests (no next/* imports).
import { z } from "zod";
import { runtimeDefaults } from "@/lib/runtime-file";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/neuralops"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // Prefix for every Redis key and BullMQ queue, so tests and several installs can share one Redis.
  REDIS_PREFIX: z.string().min(1).default("neuralops"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  // The URL users browse to (links in invitations and notifications; default NEXTAUTH_URL). When it differs
  // from NEXTAUTH_URL (e.g. behind a proxy), its origin is accepted on cookie-authenticated writes too.
  NEURALOPS_PUBLIC_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_DEFAULT_ORG: z.string().optional(),
  OIDC_DEFAULT_ROLE: z.enum(["viewer", "operator", "approver", "admin"]).default("viewer"),
  // Login throttling (lib/auth/rate-limit.ts): failed attempts per account and address before each further
  // attempt waits a doubling delay (1 s, 2 s, 4 s, … up to LOGIN_MAX_DELAY_SECONDS); an address may fail at most
  // 5 × LOGIN_MAX_ATTEMPTS times per LOGIN_WINDOW_SECONDS across all accounts.
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(900),
  // Reverse proxies whose X-Forwarded-For entries are believed (comma-separated IPs / CIDRs). Unset: none, the
  // client is the TCP peer (lib/auth/client-ip.ts).
  TRUSTED_PROXIES: z.string().optional(),
  WORKER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9465),
  // Where the worker's and the gateway's /metrics listen. Loopback by default (they have no authentication);
  // in a container, 0.0.0.0 so that Prometheus and the kubelet's probes reach them (deploy/helm/neuralops).
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  WORKER_QUEUES: z.string().optional(),
  // How long a worker's job lock lasts (renewed at half this while the worker lives). A worker killed
  // mid-job has its job picked up by another worker after about this long.
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  // runs.sweep re-enqueues an approved or executing run whose execution job is gone (lost with Redis,
  // or given up) once the run has not changed for this long.
  RUN_RESUME_AFTER_MS: z.coerce.number().int().min(1000).default(60_000),
  // The agent gateway process (workers/agent-gateway.ts): where agents' WebSockets land. Route
  // /api/v1/agent/connect to it; AGENT_GATEWAY_PUBLIC_URL is what the install command tells agents.
  AGENT_GATEWAY_HOST: z.string().default("127.0.0.1"),
  AGENT_GATEWAY_PORT: z.coerce.number().int().nonnegative().default(3001),
  AGENT_GATEWAY_PUBLIC_URL: z.string().url().optional(),
  // Where the install commands on the Agents page fetch the agent from: a Helm chart reference the operator's
  // helm can pull (oci://… or an https://….tgz; default: the published OCI chart) and, optionally, an https URL
  // of deploy/manifests/neuralops-agent.yaml (without it the plain-manifests command reads a repository checkout).
  NEURALOPS_AGENT_CHART: z.string().min(1).optional(),
  NEURALOPS_AGENT_MANIFESTS_URL: z.string().url().optional(),
  // The gateway's /metrics (on METRICS_HOST); 0 turns it off.
  AGENT_GATEWAY_METRICS_PORT: z.coerce.number().int().nonnegative().default(9466),
  // Sockets one remote address may hold on the gateway at once (authenticated or still in the handshake); 0 = no cap.
  AGENT_GATEWAY_MAX_CONN_PER_IP: z.coerce.number().int().nonnegative().default(20),
  // "true" only behind a proxy that appends the client address to X-Forwarded-For: the cap and the audit
  // then use that last entry instead of the proxy's address.
  AGENT_GATEWAY_TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  // remote_write caps (lib/monitors/ingest-remote-write.ts): what one request may expand into, and the
  // samples per second one token (or user) may push, shared by every web process through Redis; 0 = no rate limit.
  REMOTE_WRITE_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  REMOTE_WRITE_MAX_SAMPLES: z.coerce.number().int().positive().default(50_000),
  REMOTE_WRITE_MAX_SERIES: z.coerce.number().int().positive().default(50_000),
  REMOTE_WRITE_SAMPLES_PER_SECOND: z.coerce.number().int().nonnegative().default(200_000),
  // remote_write detectors live in the web process (lib/monitors/live-series.ts): how many series one process
  // keeps (a mature ensemble detector holds about 250 KB), and how often (seconds of data, or of wall time when a
  // series goes quiet) each is checkpointed to PostgreSQL: the most learning a crash can cost.
  REMOTE_WRITE_LIVE_SERIES: z.coerce.number().int().positive().default(2_000),
  REMOTE_WRITE_CHECKPOINT_SECONDS: z.coerce.number().int().positive().default(300),
  // Decoded label sets kept by their bytes (all series pushed, matched or not; about 0.5 KB each, at most 1 KB
  // each on average by the cache's byte budget): a series seen before is neither decoded nor matched again.
  REMOTE_WRITE_LABEL_SETS: z.coerce.number().int().positive().default(50_000),
  // Ingest admission (lib/http/admission.ts), per web process, for the Alertmanager webhook and remote_write:
  // requests handled at once, requests waiting for a slot, and how long one may wait; beyond, 503 + Retry-After.
  INGEST_MAX_INFLIGHT: z.coerce.number().int().positive().default(10),
  INGEST_MAX_QUEUED: z.coerce.number().int().nonnegative().default(64),
  INGEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(2_000),
  // Alertmanager webhook group commit (lib/incidents/ingest-signals.ts): transactions in flight per sender.
  INGEST_BATCHES_PER_SENDER: z.coerce.number().int().positive().default(2),
  // How long an ingest route trusts a token it has checked (revocation, expiry and role changes are seen
  // by every process within this bound; 0 = check the database on every request).
  TOKEN_CACHE_TTL_MS: z.coerce.number().int().nonnegative().default(5_000),
  // On-call email channels without their own SMTP settings send through this server
  // (smtp://user:password@host:587, smtps://… for TLS from the start) from SMTP_FROM.
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(3).default("NeuralOps <neuralops@localhost>"),
  // Slack Web API base for on-call Slack channels that do not set their own apiUrl.
  SLACK_API_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(runtimeDefaults(process.env));
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`invalid environment:\n${lines}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** An absolute link into the web app, for messages that leave it (invitations, notifications). */
export function publicUrl(pathname: string): string {
  const { NEURALOPS_PUBLIC_URL, NEXTAUTH_URL } = env();
  return new URL(pathname, NEURALOPS_PUBLIC_URL ?? NEXTAUTH_URL ?? "http://localhost:3000").toString();
}
