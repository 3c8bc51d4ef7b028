// Where the agent keeps its identity. In a cluster: the Secret the installer created holding the one-time
// bootstrap token, which enrollment overwrites with the identity (the token is burnt, so it is dropped). The
// agent may only get and update that one Secret (IDENTITY_RULE in agent/rbac.ts): it never creates or lists.
// Outside a cluster: a JSON file readable by its owner only.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ApiException, CoreV1Api, type KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { z } from "zod";

export type AgentIdentity = { clusterId: string; privateKeyPem: string; publicKeyPem: string; controlPlanePublicKeyPem: string; ingestToken: string };
export type IdentityStore = {
  load(): Promise<{ identity: AgentIdentity | null; bootstrapToken: string | null }>;
  save(identity: AgentIdentity): Promise<void>;
};

const SECRET_KEYS: Record<keyof AgentIdentity, string> = {
  clusterId: "cluster-id",
  privateKeyPem: "private-key.pem",
  publicKeyPem: "public-key.pem",
  controlPlanePublicKeyPem: "control-plane.pub.pem",
  ingestToken: "ingest-token",
};
const BOOTSTRAP_KEY = "bootstrap-token";
const FIELDS = Object.keys(SECRET_KEYS) as Array<keyof AgentIdentity>;

/** All fields or none: a partial identity means the store was damaged, and guessing would lose the key. */
function identityFrom(where: string, get: (field: keyof AgentIdentity) => string | undefined): AgentIdentity | null {
  const present = FIELDS.filter((f) => get(f));
  if (present.length === 0) return null;
  if (present.length < FIELDS.length) throw new Error(`${where}: incomplete agent identity (missing ${FIELDS.filter((f) => !get(f)).join(", ")})`);
  return Object.fromEntries(FIELDS.map((f) => [f, get(f)!])) as AgentIdentity;
}

function apiError(what: string, e: unknown): Error {
  if (!(e instanceof ApiException)) return e instanceof Error ? e : new Error(String(e));
  let message = `HTTP ${e.code}`;
  try {
    const status = JSON.parse(String(e.body)) as { message?: unknown };
    if (typeof status.message === "string") message = `${status.message} (HTTP ${e.code})`;
  } catch {
    // Not a Status object: the code alone says enough.
  }
  return new Error(`${what}: ${message}`, { cause: e });
}

export function secretIdentityStore(kc: KubeConfig, namespace: string, name: string): IdentityStore {
  const where = `secret ${namespace}/${name}`;
  const api = () => kc.makeApiClient(CoreV1Api);
  // The Secret as last read: save() writes on top of exactly this version, so a concurrent writer (a second
  // replica enrolling, an operator re-installing) makes the update fail instead of being overwritten.
  let lastRead: V1Secret | null = null;

  async function read(): Promise<V1Secret> {
    try {
      lastRead = await api().readNamespacedSecret({ name, namespace });
      return lastRead;
    } catch (e) {
      throw apiError(`reading the agent identity from ${where}`, e);
    }
  }

  return {
    async load() {
      const secret = await read();
      const data = secret.data ?? {};
      const value = (key: string) => (data[key] ? Buffer.from(data[key], "base64").toString("utf8") : undefined);
      const token = value(BOOTSTRAP_KEY)?.trim();
      return { identity: identityFrom(where, (f) => value(SECRET_KEYS[f])), bootstrapToken: token ? token : null };
    },
    async save(identity) {
      const base = lastRead ?? (await read());
      const body: V1Secret = {
        apiVersion: "v1",
        kind: "Secret",
        // Labels, annotations and owner references stay; resourceVersion makes the update conditional.
        metadata: { ...base.metadata, name, namespace },
        type: base.type ?? "Opaque",
        data: Object.fromEntries(FIELDS.map((f) => [SECRET_KEYS[f], Buffer.from(identity[f], "utf8").toString("base64")])),
      };
      try {
        lastRead = await api().replaceNamespacedSecret({ name, namespace, body });
      } catch (e) {
        throw apiError(`saving the agent identity to ${where}`, e);
      }
    },
  };
}

const ZIdentityFile = z.object({
  clusterId: z.string().optional(),
  privateKeyPem: z.string().optional(),
  publicKeyPem: z.string().optional(),
  controlPlanePublicKeyPem: z.string().optional(),
  ingestToken: z.string().optional(),
  bootstrapToken: z.string().optional(),
});

export function fileIdentityStore(path: string): IdentityStore {
  const where = `identity file ${path}`;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return { identity: null, bootstrapToken: null };
        throw e;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`${where}: not valid JSON`);
      }
      const parsed = ZIdentityFile.safeParse(json);
      if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const token = parsed.data.bootstrapToken?.trim();
      return { identity: identityFrom(where, (f) => parsed.data[f]), bootstrapToken: token ? token : null };
    },
    async save(identity) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Written whole and renamed into place: a crash mid-write must not leave the private key half on disk.
      // The file is created fresh ("wx") so mode 0600 applies before any secret is written into it; a
      // leftover from a crash could carry other permissions.
      const tmp = `${path}.${process.pid}.tmp`;
      await rm(tmp, { force: true });
      const content = Object.fromEntries(FIELDS.map((f) => [f, identity[f]]));
      await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      await rename(tmp, path);
    },
  };
}
