// `npm run cli -- oncall apply <file.yaml> [--org <slug>] [--yes]`: on-call configuration as code. Prints the
// dry run, then applies it with --yes, or after a "y" at a terminal.
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { systemActor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { formatIssues, loadOncallFile, type Issue } from "@/lib/oncall/config/load-file";
import { planOncallConfig, singular } from "@/lib/oncall/config/plan-config";
import { applyOncallPlan } from "@/lib/oncall/config/apply-config";
import { formatPlan, hasChanges } from "@/lib/oncall/config/format-plan";

/** The actor of every apply: its audit events and its silences say they came from the configuration file. */
export const APPLY_ACTOR = "oncall-apply";

const isIssues = (d: unknown): d is Issue[] => Array.isArray(d) && d.every((i) => i && typeof i === "object" && "message" in i && "path" in i);

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function oncallApply(args: string[], org: (slug?: string) => Promise<{ id: string; slug: string }>): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { org: { type: "string" }, yes: { type: "boolean" } } });
  const path = positionals[0];
  if (!path) throw new AppError("bad_request", "oncall apply needs a file: npm run cli -- oncall apply <file.yaml> [--org <slug>] [--yes]");
  const text = await readFile(path, "utf8");
  const { id: orgId, slug } = await org(values.org);
  const actor = systemActor(APPLY_ACTOR, orgId);
  try {
    const loaded = loadOncallFile(text, process.env);
    if (loaded.warnings.length) console.error(`warning:\n${formatIssues(loaded.warnings, path)}`);
    const plan = await planOncallConfig({ actor, loaded });
    console.log(`${path} → organization ${slug}${values.yes ? "" : " (dry run)"}`);
    console.log(formatPlan(plan));
    if (!hasChanges(plan)) {
      console.log("No changes.");
      return 0;
    }
    if (!values.yes) {
      if (!process.stdin.isTTY) {
        console.log("Nothing applied: run again with --yes to apply.");
        return 0;
      }
      if (!(await confirm(`Apply these changes to ${slug}? [y/N] `))) {
        console.log("Nothing applied.");
        return 0;
      }
    }
    const result = await applyOncallPlan({ actor, plan });
    for (const { change, secret } of result.applied) {
      console.log(`  ✓ ${change.action} ${singular(change.kind)} ${JSON.stringify(change.name)}`);
      if (secret) console.log(`    signing secret of ${JSON.stringify(change.name)} (shown once; give it to the receiver): ${secret}`);
    }
    if (result.failed) {
      console.error(`  ✗ ${result.failed.change.action} ${singular(result.failed.change.kind)} ${JSON.stringify(result.failed.change.name)}: ${result.failed.error.message}`);
      console.error(`Stopped: ${result.applied.length} of ${plan.changes.length} changes applied. Fix the problem and run the apply again; it continues from here.`);
      return 1;
    }
    console.log(`Applied ${result.applied.length} change${result.applied.length === 1 ? "" : "s"}.`);
    return 0;
  } catch (err) {
    if (err instanceof AppError && isIssues(err.details)) {
      console.error(`error: ${err.message.split("\n")[0]}\n${formatIssues(err.details, path)}`);
      return 1;
    }
    throw err;
  }
}
