// Signed playbooks for tests: a fresh P-256 key per call, registered as trusted in the org.
import { generateKeyPairSync } from "node:crypto";
import type { Actor } from "@/lib/context";
import { signPlaybook } from "@/lib/playbooks/signature";
import { addSigningKey } from "@/lib/playbooks/signing-keys";
import { uploadPlaybook } from "@/lib/playbooks/save-playbook";

export function makeKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Trusts a new key in the org (as `admin`) and returns it with a signer. */
export async function trustNewKey(admin: Actor, name = "test key") {
  const keys = makeKeyPair();
  const row = await addSigningKey({ actor: admin, input: { name, publicKeyPem: keys.publicPem } });
  return { ...keys, id: row.id, sign: (source: string) => signPlaybook(Buffer.from(source), keys.privatePem) };
}

type StepYaml = { id: string; action: string; with: Record<string, unknown>; timeout?: string; retries?: number; when?: string };

/** A playbook document; JSON is valid YAML, which keeps fixtures exact. */
export function playbookYaml(name: string, risk: "low" | "medium" | "high", steps: StepYaml[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ name, version: 1, description: `test playbook ${name}`, risk, steps, ...extra }, null, 2) + "\n";
}

export async function uploadSigned(admin: Actor, source: string, sign: (s: string) => string) {
  return uploadPlaybook({ actor: admin, input: { source, signature: sign(source) } });
}
