// Can this run run, here and now? Everything that can be known without a side effect: the signed playbook
// and the run row agree, every step renders, every secret it reads is granted and resolvable (read and
// thrown away, never shown), every host it connects to is allowed by the egress policy, every Kubernetes
// step has a connected agent that allows it, and verify steps have a Prometheus that answers. The dry-run
// runs it (and then plans each step); approval runs it again, since any of it may have changed since
// (there, secrets are checked for their grant only: the worker reads them, the web process need not).
import type { StepSpec } from "@/lib/playbooks/schema";
import type { DestinationCheck } from "@/lib/egress/policy";
import { checkDestination } from "@/lib/egress/policy";
import { orgSecrets } from "@/lib/secrets/grants";
import { defaultSecretProvider, type SecretProvider } from "@/lib/secrets/providers";
import { AppError } from "@/lib/errors";
import { actionFor } from "@/lib/orchestrator/actions";
import type { Action, PlanContext } from "@/lib/orchestrator/actions/types";
import { probePrometheus } from "@/lib/orchestrator/actions/verify";
import { evaluateWhen, render, secretNames, secretPlaceholder, type Scope } from "@/lib/orchestrator/template";
import { runMatchesPlaybook } from "@/lib/orchestrator/preflight";
import { errorText } from "@/lib/orchestrator/error-text";
import type { RunContext } from "@/lib/orchestrator/run-context";
import { NO_PROMETHEUS, secretGrantReason, secretReadReason } from "@/lib/orchestrator/can-run-rules";
import type { CannotRunCode, CannotRunReason } from "@/lib/orchestrator/report";

export type CheckOptions = {
  /** Where secrets are looked up; the process's provider (environment or Vault) by default. */
  secrets?: SecretProvider;
  /** How long the Prometheus probe may take. */
  prometheusTimeoutMs?: number;
  /**
   * Read each secret (false: only check it is granted). Secrets are read where steps execute, in the
   * worker; the web process, where approvals are checked, need not hold them.
   */
  resolveSecrets?: boolean;
};

export type StepCheck = {
  spec: StepSpec;
  action: Action<unknown>;
  willRun: boolean | null;
  secrets: string[];
  /** `with` rendered (secrets as placeholders) and validated; absent when that failed or the step will not run. */
  input?: unknown;
  egress: DestinationCheck[];
  reasons: CannotRunReason[];
};

export type RunCheck = { steps: StepCheck[]; reasons: CannotRunReason[]; env: Omit<PlanContext, "stepId"> };

function whenNow(expr: string | undefined, scope: Scope): boolean | null {
  if (!expr) return true;
  if (/\bsteps\./.test(expr)) return null;
  return evaluateWhen(expr, scope);
}

/** A template that names a value the run does not have: an incident label or a param left empty. */
function renderReason(err: unknown): CannotRunCode {
  const m = err instanceof AppError ? /template refers to '(incident|params)\./.exec(err.message) : null;
  return m ? (m[1] === "incident" ? "label_missing" : "param_missing") : "step_invalid";
}

export async function checkRun(ctx: RunContext, opts: CheckOptions = {}): Promise<RunCheck> {
  const { run, spec, verification } = ctx;
  const env = { orgId: run.orgId, runId: run.id, playbookDigest: ctx.version.digest, prometheus: ctx.prometheus, egress: { policy: ctx.org.egress } };
  const reasons: CannotRunReason[] = [];
  if (!spec) {
    reasons.push({ code: "playbook_invalid", message: `playbook: ${verification.ok ? "does not parse" : verification.message}` });
    return { steps: [], reasons, env };
  }
  const mismatch = runMatchesPlaybook(run, spec);
  if (mismatch) reasons.push({ code: mismatch.reason === "params_invalid" ? "params_invalid" : "run_tampered", message: mismatch.message });
  if (!verification.ok) reasons.push({ code: "signature_invalid", message: `playbook signature check failed: ${verification.message}` });

  // One lookup per secret name, however many steps read it.
  const source = orgSecrets(opts.secrets ?? defaultSecretProvider(), ctx.org);
  const lookups = new Map<string, Promise<CannotRunReason | null>>();
  const lookup = (name: string) => {
    if (lookups.has(name)) return lookups.get(name)!;
    const read = opts.resolveSecrets === false ? Promise.resolve(secretGrantReason(name, ctx.org.secretGrants)) : source.get(name, { signal: AbortSignal.timeout(10_000) }).then(() => null, secretReadReason);
    lookups.set(name, read);
    return lookups.get(name)!;
  };
  const reported = new Set<string>();

  const steps: StepCheck[] = [];
  for (const step of spec.steps) {
    const action = actionFor(step.action) as Action<unknown>;
    const check: StepCheck = { spec: step, action, willRun: null, secrets: [...secretNames(step.with)], egress: [], reasons: [] };
    steps.push(check);
    const add = (r: CannotRunReason) => check.reasons.push({ ...r, stepId: step.id });
    try {
      check.willRun = whenNow(step.when, ctx.scope);
    } catch (err) {
      add({ code: "step_invalid", message: errorText(err) });
      continue;
    }
    // A step whose condition is already false is not rendered: it may use params left empty.
    if (check.willRun === false) continue;
    for (const name of check.secrets) {
      const r = await lookup(name);
      // Said once, at the first step that reads it.
      if (r && !reported.has(name)) {
        add(r);
        reported.add(name);
      }
    }
    try {
      check.input = action.schema.parse(render(step.with, ctx.scope, secretPlaceholder));
    } catch (err) {
      add({ code: renderReason(err), message: errorText(err) });
      continue;
    }
    const stepEnv = { ...env, stepId: step.id };
    check.egress = (action.destinations?.(check.input, stepEnv) ?? []).map((url) => checkDestination(url, ctx.org.egress));
    for (const d of check.egress) if (d.allowed === false) add({ code: "egress_denied", message: `egress policy denies ${d.host ?? "the destination"}: ${d.reason}` });
    const blocked = await action.check?.(check.input, stepEnv);
    if (blocked) add(blocked);
  }

  // Verify steps read the org's Prometheus: it must exist and answer (unless egress already forbids it).
  const verifies = steps.filter((s) => s.spec.action === "verify" && s.willRun !== false);
  if (verifies.length && !verifies.some((s) => s.reasons.some((r) => r.code === "egress_denied"))) {
    const first = verifies[0]!.spec.id;
    if (!ctx.prometheus) reasons.push({ ...NO_PROMETHEUS, stepId: first });
    else {
      const down = await probePrometheus(ctx.prometheus, env.egress, opts.prometheusTimeoutMs);
      if (down) reasons.push({ code: "prometheus_unreachable", message: `the organization's Prometheus does not answer: ${down}`, stepId: first });
    }
  }
  return { steps, reasons: [...reasons, ...steps.flatMap((s) => s.reasons)], env };
}
