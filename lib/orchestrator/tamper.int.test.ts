// What a write to the database can and cannot change about a run: policy (risk, quorum) and the steps
// that execute come only from the signed bytes, never from the parsed `spec` column or the run row.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { startTarget, type Target } from "@/test/target-server";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";

let signedTarget: Target;
let evilTarget: Target;
beforeAll(async () => {
  signedTarget = await startTarget();
  evilTarget = await startTarget();
});
afterAll(async () => {
  await signedTarget.close();
  await evilTarget.close();
});

type Team = { orgId: string; admin: Actor; operator: Actor; approver: Actor; approver2: Actor; sign: (s: string) => string };
let team: Team;
beforeEach(async () => {
  const org = await makeOrg("tamper");
  await allowTestEgress(org.id);
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  team = { orgId: org.id, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), approver2: await makeActor(org.id, "approver"), sign: key.sign };
});

const uniq = () => randomBytes(4).toString("hex");

/** A signed high-risk playbook with one POST to the signed target; returns its name and the signed path. */
async function highRiskPlaybook() {
  const name = `hr-${uniq()}`;
  const path = `/signed-${uniq()}`;
  await uploadSigned(team.admin, playbookYaml(name, "high", [{ id: "call", action: "http", with: { url: `${signedTarget.url}${path}` }, timeout: "5s" }]), team.sign);
  return { name, path };
}

/** The attack: one UPDATE of the parsed spec (risk → low, the step's URL → another host). */
async function tamperSpec(name: string, evilUrl: string) {
  await db.$executeRaw`
    UPDATE "PlaybookVersion" v SET spec = jsonb_set(jsonb_set(v.spec::jsonb, '{risk}', '"low"'), '{steps,0,with,url}', to_jsonb(${evilUrl}::text))
    FROM "Playbook" p WHERE p.id = v."playbookId" AND p.name = ${name} AND p."orgId" = ${team.orgId}::uuid`;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("a tampered spec column", () => {
  it("tampered before the request: quorum stays 2 (high risk) and the signed URL is called", async () => {
    const { name, path } = await highRiskPlaybook();
    const evil = `/evil-${uniq()}`;
    await tamperSpec(name, `${evilTarget.url}${evil}`);

    const run = await requestRun({ actor: team.operator, input: { playbook: name } });
    expect(run.risk).toBe("high");
    expect(run.requiredApprovals).toBe(2);
    await runDryRun(run.id);
    const report = (await getRun({ actor: team.admin, id: run.id })).dryRunReport as { playbook: { risk: string }; steps: Array<{ plan: { summary: string } }> };
    expect(report.playbook.risk).toBe("high");
    expect(report.steps[0]!.plan.summary).toContain(`${signedTarget.url}${path}`);

    expect((await approveRun({ actor: team.approver, id: run.id })).status).toBe("awaiting_approval");
    expect((await approveRun({ actor: team.approver2, id: run.id })).status).toBe("approved");
    expect((await executeRun(run.id)).status).toBe("succeeded");
    expect(signedTarget.calls(path)).toHaveLength(1);
    expect(evilTarget.requests).toHaveLength(0);
  });

  it("tampered after the request and again after approval: policy and steps still come from the signed bytes", async () => {
    const { name, path } = await highRiskPlaybook();
    const run = await requestRun({ actor: team.operator, input: { playbook: name } });
    await runDryRun(run.id);
    const evil = `/evil-${uniq()}`;
    await tamperSpec(name, `${evilTarget.url}${evil}`);
    expect((await approveRun({ actor: team.approver, id: run.id })).status).toBe("awaiting_approval");
    expect((await approveRun({ actor: team.approver2, id: run.id })).status).toBe("approved");
    await tamperSpec(name, `${evilTarget.url}${evil}-2`);
    expect((await executeRun(run.id)).status).toBe("succeeded");
    expect(signedTarget.calls(path)).toHaveLength(1);
    expect(evilTarget.requests).toHaveLength(0);
  });
});

describe("a tampered run row", () => {
  it("risk and quorum lowered on the run: one approval does not approve it", async () => {
    const { name, path } = await highRiskPlaybook();
    const run = await requestRun({ actor: team.operator, input: { playbook: name } });
    await runDryRun(run.id);
    await db.$executeRaw`UPDATE "Run" SET risk = 'low', "requiredApprovals" = 1 WHERE id = ${run.id}::uuid`;
    const outcome = await approveRun({ actor: team.approver, id: run.id }).then((r) => r.status, (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    expect(outcome).not.toBe("approved");
    expect((await executeRun(run.id)).status).toMatch(/skipped|refused/);
    expect(signedTarget.calls(path)).toHaveLength(0);
  });

  it("status set to approved without the quorum: the executor refuses before any step", async () => {
    const { name, path } = await highRiskPlaybook();
    const run = await requestRun({ actor: team.operator, input: { playbook: name } });
    await runDryRun(run.id);
    expect((await approveRun({ actor: team.approver, id: run.id })).status).toBe("awaiting_approval");
    await db.$executeRaw`UPDATE "Run" SET status = 'approved' WHERE id = ${run.id}::uuid`;
    expect((await executeRun(run.id)).status).toBe("refused");
    expect(signedTarget.calls(path)).toHaveLength(0);
    const after = await getRun({ actor: team.admin, id: run.id });
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/approvals/);
  });

  it("params changed on the run to a value the signed declaration refuses: refused before any step", async () => {
    const name = `pr-${uniq()}`;
    const path = `/p-${uniq()}`;
    await uploadSigned(
      team.admin,
      playbookYaml(name, "low", [{ id: "call", action: "http", with: { url: `${signedTarget.url}${path}/{{ params.svc }}` }, timeout: "5s" }], { params: { svc: { type: "string", required: true, pattern: "[a-z]+" } } }),
      team.sign,
    );
    const run = await requestRun({ actor: team.operator, input: { playbook: name, params: { svc: "checkout" } } });
    await runDryRun(run.id);
    await approveRun({ actor: team.approver, id: run.id });
    await db.$executeRaw`UPDATE "Run" SET params = '{"svc": "../../admin"}'::jsonb WHERE id = ${run.id}::uuid`;
    expect((await executeRun(run.id)).status).toBe("refused");
    expect(signedTarget.requests.filter((r) => r.path.startsWith(path))).toHaveLength(0);
  });
});

describe("a tampered version row is refused when its bytes no longer match", () => {
  it("source rewritten along with the spec: approval refuses", async () => {
    const { name } = await highRiskPlaybook();
    const run = await requestRun({ actor: team.operator, input: { playbook: name } });
    await runDryRun(run.id);
    await db.$executeRaw`UPDATE "PlaybookVersion" SET source = convert_to(replace(convert_from(source, 'UTF8'), '"high"', '"low"'), 'UTF8') WHERE id = ${run.playbookVersionId}::uuid`;
    expect((await rejection(approveRun({ actor: team.approver, id: run.id }))).code).toBe("unprocessable");
  });
});
