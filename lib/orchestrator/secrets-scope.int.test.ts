// Secrets are per organization: a playbook reads only names its org was granted, inside its org's own
// namespace (NEURALOPS_SECRET_<ORG>__<NAME>, or <VAULT_PREFIX>/<org>/<path> in Vault).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { asReport } from "@/lib/orchestrator/report";
import { allowTestEgress, grantTestSecrets, makeActor, makeOrg } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});

const uniq = () => randomBytes(4).toString("hex");
const envPart = (slug: string) => slug.toUpperCase().replace(/[^A-Z0-9]/g, "_");

async function team(label: string) {
  const org = await makeOrg(label);
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  return { org, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
}
type Team = Awaited<ReturnType<typeof team>>;

/** A run of a playbook whose one step sends secret `name` to the target, dry-run done. */
async function secretRun(t: Team, name: string, path: string) {
  const pb = `sec-${uniq()}`;
  await uploadSigned(t.admin, playbookYaml(pb, "low", [{ id: "send", action: "http", with: { url: `${target.url}${path}`, headers: { "x-token": `{{ secret "${name}" }}` } }, timeout: "5s" }]), t.sign);
  const run = await requestRun({ actor: t.operator, input: { playbook: pb } });
  await runDryRun(run.id);
  return run.id;
}

describe("secrets per organization", () => {
  it("org B's playbook cannot read org A's environment secret, even by naming A's variable", async () => {
    const a = await team("sa");
    const b = await team("sb");
    const secretA = `a-${randomBytes(12).toString("hex")}`;
    process.env[`NEURALOPS_SECRET_${envPart(a.org.slug)}__TOKEN`] = secretA;
    // In one global namespace, this name is A's variable.
    const stolen = `${envPart(a.org.slug)}__TOKEN`;
    await grantTestSecrets(b.org.id, [stolen]);
    const path = `/steal-${uniq()}`;
    const runId = await secretRun(b, stolen, path);
    // The dry-run looks in B's namespace only, and finds nothing there.
    const planned = await getRun({ actor: b.admin, id: runId });
    expect(asReport(planned.dryRunReport)!.verdict.reasons).toEqual([{ code: "secret_missing", stepId: "send", message: expect.stringContaining(`NEURALOPS_SECRET_${envPart(b.org.slug)}__`) }]);
    expect(JSON.stringify(planned.dryRunReport)).not.toContain(secretA);
    // Even pushed through by an admin, execution reads B's namespace only.
    await approveRun({ actor: b.admin, id: runId, override: { reason: "test: execution must hold too" } });
    expect((await executeRun(runId)).status).toBe("failed");
    expect(target.requests.filter((r) => JSON.stringify(r).includes(secretA))).toHaveLength(0);
    expect(target.calls(path)).toHaveLength(0);
    const run = await getRun({ actor: b.admin, id: runId });
    expect(run.steps[0]!.error).toMatch(/not found/);
    expect(run.steps[0]!.error).toContain(`NEURALOPS_SECRET_${envPart(b.org.slug)}__`);
  });

  it("a secret the org was not granted: the dry-run says the run cannot run, nothing is read", async () => {
    const a = await team("sg");
    process.env[`NEURALOPS_SECRET_${envPart(a.org.slug)}__UNGRANTED`] = "present-but-not-granted";
    const runId = await secretRun(a, "UNGRANTED", `/ng-${uniq()}`);
    const run = await getRun({ actor: a.admin, id: runId });
    expect(run.status).toBe("awaiting_approval");
    expect(asReport(run.dryRunReport)!.verdict).toMatchObject({ canRun: false, reasons: [{ code: "secret_not_granted", stepId: "send", message: expect.stringMatching(/UNGRANTED.*not granted/) }] });
  });

  it("a granted secret in the org's own namespace is read and sent", async () => {
    const a = await team("so");
    const value = `own-${randomBytes(12).toString("hex")}`;
    process.env[`NEURALOPS_SECRET_${envPart(a.org.slug)}__OWN_TOKEN`] = value;
    await grantTestSecrets(a.org.id, ["OWN_TOKEN"]);
    const path = `/own-${uniq()}`;
    const runId = await secretRun(a, "OWN_TOKEN", path);
    await approveRun({ actor: a.approver, id: runId });
    expect((await executeRun(runId)).status).toBe("succeeded");
    expect(target.calls(path)[0]!.headers["x-token"]).toBe(value);
    expect(await db.auditEvent.count({ where: { orgId: a.org.id, action: "run.succeeded" } })).toBe(1);
  });
});
