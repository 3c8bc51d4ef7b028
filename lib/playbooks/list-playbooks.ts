// The catalog as people see it: latest version of each playbook with its signature status now.
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { notFound } from "@/lib/errors";
import type { PlaybookSpec } from "@/lib/playbooks/schema";
import { verifyWithKeys } from "@/lib/playbooks/verify-version";
import { orchestratorSettings } from "@/lib/orchestrator/settings";

export async function listPlaybooks({ actor }: { actor: Actor }) {
  assertCan(actor, "playbooks.read");
  const settings = await orchestratorSettings(actor.orgId);
  const playbooks = await db.playbook.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" } });
  const latest = await db.playbookVersion.findMany({
    where: { orgId: actor.orgId, OR: playbooks.map((p) => ({ playbookId: p.id, version: p.latestVersion })) },
  });
  const byPlaybook = new Map(latest.map((v) => [v.playbookId, v]));
  const keys = await db.signingKey.findMany({ where: { orgId: actor.orgId } });
  return playbooks.map((p) => {
      const v = byPlaybook.get(p.id)!;
      const verification = verifyWithKeys(v, keys, settings);
      const spec = v.spec as unknown as PlaybookSpec;
      return {
        name: p.name,
        description: p.description,
        risk: p.risk,
        version: v.version,
        digest: v.digest,
        signed: !!v.signature,
        verification,
        params: spec.params,
        matches: spec.matches,
        blastRadius: spec.blastRadius ?? null,
        steps: spec.steps.map((s) => ({ id: s.id, action: s.action, name: s.name ?? null })),
        updatedAt: p.updatedAt,
      };
  });
}

export async function getPlaybook({ actor, name }: { actor: Actor; name: string }) {
  assertCan(actor, "playbooks.read");
  const p = await db.playbook.findUnique({ where: { orgId_name: { orgId: actor.orgId, name } }, include: { versions: { orderBy: { version: "desc" } } } });
  if (!p || p.orgId !== actor.orgId) throw notFound("playbook");
  const settings = await orchestratorSettings(actor.orgId);
  const keys = await db.signingKey.findMany({ where: { orgId: actor.orgId } });
  const versions = p.versions.map((v) => ({
      version: v.version,
      digest: v.digest,
      origin: v.origin,
      createdAt: v.createdAt,
      signature: v.signature,
      source: Buffer.from(v.source).toString("utf8"),
      spec: v.spec as unknown as PlaybookSpec,
      verification: verifyWithKeys(v, keys, settings),
  }));
  return { name: p.name, description: p.description, risk: p.risk, latestVersion: p.latestVersion, versions };
}
