// The org's egress policy on real runs: the dry-run shows every destination host and whether the policy
// allows it (a denied one makes the run unable to run), and the send-time check after DNS resolution
// refuses what the name really points to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { approveRun } from "@/lib/orchestrator/approve-run";
import { executeRun } from "@/lib/orchestrator/execute-run";
import { getRun } from "@/lib/orchestrator/list-runs";
import { asReport } from "@/lib/orchestrator/report";
import { AppError } from "@/lib/errors";
import { makeActor, makeOrg } from "@/test/factories";
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
type Team = { orgId: string; admin: Actor; operator: Actor; approver: Actor; sign: (s: string) => string };

/** A fresh org with the default (deny-all) policy, or the given one. */
async function team(policy?: { hosts?: string[]; cidrs?: string[] }): Promise<Team> {
  const org = await makeOrg("egress");
  if (policy) await db.organization.update({ where: { id: org.id }, data: { egressAllowHosts: policy.hosts ?? [], egressAllowCidrs: policy.cidrs ?? [] } });
  const admin = await makeActor(org.id, "admin");
  const key = await trustNewKey(admin);
  return { orgId: org.id, admin, operator: await makeActor(org.id, "operator"), approver: await makeActor(org.id, "approver"), sign: key.sign };
}

/** A run of a one-step playbook POSTing to `url`, dry-run done. */
async function runTo(t: Team, url: string) {
  const name = `eg-${uniq()}`;
  await uploadSigned(t.admin, playbookYaml(name, "low", [{ id: "call", action: "http", with: { url, headers: { authorization: "Bearer not-a-real-token" } }, timeout: "5s" }]), t.sign);
  const run = await requestRun({ actor: t.operator, input: { playbook: name } });
  await runDryRun(run.id);
  return getRun({ actor: t.admin, id: run.id });
}

type Report = { steps: Array<{ egress: Array<{ host: string | null; allowed: boolean | null; reason: string }>; error: string | null }> };

describe("egress policy in the dry-run", () => {
  it("a new organization may not reach 127.0.0.1: the plan cannot run and says why", async () => {
    const t = await team();
    const path = `/lo-${uniq()}`;
    const run = await runTo(t, `${target.url}${path}`);
    expect(run.status).toBe("awaiting_approval");
    expect(asReport(run.dryRunReport)!.verdict).toMatchObject({ canRun: false, reasons: [{ code: "egress_denied", stepId: "call", message: expect.stringMatching(/egress policy denies 127\.0\.0\.1/) }] });
    expect(await approveRun({ actor: t.approver, id: run.id }).catch((e: AppError) => e.code)).toBe("CANNOT_RUN");
    const report = run.dryRunReport as Report;
    expect(report.steps[0]!.egress).toEqual([expect.objectContaining({ host: "127.0.0.1", allowed: false })]);
    expect(target.calls(path)).toHaveLength(0);
  });

  it("169.254.169.254 is denied even when every host and 0.0.0.0/0 are allowed", async () => {
    const t = await team({ hosts: ["*"], cidrs: ["0.0.0.0/0", "::/0"] });
    const run = await runTo(t, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
    expect(asReport(run.dryRunReport)!.verdict.reasons.map((r) => r.code)).toEqual(["egress_denied"]);
    expect((run.dryRunReport as Report).steps[0]!.egress[0]).toMatchObject({ host: "169.254.169.254", allowed: false, reason: expect.stringMatching(/metadata/) });
  });

  it("an allowed host is shown as allowed and the run waits for approval", async () => {
    const t = await team({ cidrs: ["127.0.0.1/32"] });
    const run = await runTo(t, `${target.url}/ok-${uniq()}`);
    expect(run.status).toBe("awaiting_approval");
    expect((run.dryRunReport as Report).steps[0]!.egress).toEqual([expect.objectContaining({ host: "127.0.0.1", allowed: true })]);
  });
});

describe("egress policy at send time, after DNS resolution", () => {
  const port = () => new URL(target.url).port;

  it("an allowed name that resolves to a private address is refused; nothing is sent", async () => {
    const t = await team({ hosts: ["api.partner.test"] });
    const path = `/rebind-${uniq()}`;
    const run = await runTo(t, `http://api.partner.test:${port()}${path}`);
    expect(run.status).toBe("awaiting_approval");
    await approveRun({ actor: t.approver, id: run.id });
    const resolve = async () => [{ address: "127.0.0.1", family: 4 as const }];
    expect((await executeRun(run.id, { resolve })).status).toBe("failed");
    expect(target.calls(path)).toHaveLength(0);
    expect((await getRun({ actor: t.admin, id: run.id })).steps[0]!.error).toMatch(/egress policy denies api\.partner\.test: it resolves to 127\.0\.0\.1 is a loopback address/);
  });

  it("an allowed name resolving to an allowed address succeeds, connecting to the address that was checked", async () => {
    const t = await team({ hosts: ["api.partner.test"], cidrs: ["127.0.0.1/32"] });
    const path = `/allowed-${uniq()}`;
    const run = await runTo(t, `http://api.partner.test:${port()}${path}`);
    await approveRun({ actor: t.approver, id: run.id });
    let lookups = 0;
    const resolve = async () => (lookups++, [{ address: "127.0.0.1", family: 4 as const }]);
    expect((await executeRun(run.id, { resolve })).status).toBe("succeeded");
    expect(lookups).toBe(1);
    const [call] = target.calls(path);
    expect(call!.headers.host).toBe(`api.partner.test:${port()}`);
  });
});
