// Operator-supplied parameters checked against the playbook's declared params: unknown names, wrong
// types, patterns, enums and ranges are refused before a run exists.
import { AppError } from "@/lib/errors";
import type { ParamSpec } from "@/lib/playbooks/schema";

export type ParamValue = string | number | boolean;

export function resolveParams(specs: Record<string, ParamSpec>, input: Record<string, ParamValue>): Record<string, ParamValue> {
  const problems: { path: ["params", string]; message: string }[] = [];
  const problem = (name: string, message: string) => problems.push({ path: ["params", name], message });
  for (const name of Object.keys(input)) if (!Object.hasOwn(specs, name)) problem(name, "not a parameter of this playbook");
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    let v: ParamValue | undefined = Object.hasOwn(input, name) ? input[name] : spec.default;
    // Forms send strings; accept "3" for a number and "true" for a boolean, nothing looser.
    if (typeof v === "string" && spec.type === "number" && v.trim() !== "" && Number.isFinite(Number(v))) v = Number(v);
    if (typeof v === "string" && spec.type === "boolean" && (v === "true" || v === "false")) v = v === "true";
    if (v === undefined || v === "") {
      if (spec.required) problem(name, `required`);
      continue;
    }
    if (typeof v !== spec.type) {
      problem(name, `must be a ${spec.type}`);
      continue;
    }
    if (spec.enum && !spec.enum.includes(v as string | number)) problem(name, `must be one of ${spec.enum.join(", ")}`);
    if (typeof v === "string" && spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(v)) problem(name, `does not match ${spec.pattern}`);
    if (typeof v === "number" && spec.min !== undefined && v < spec.min) problem(name, `must be ≥ ${spec.min}`);
    if (typeof v === "number" && spec.max !== undefined && v > spec.max) problem(name, `must be ≤ ${spec.max}`);
    out[name] = v;
  }
  if (problems.length) throw new AppError("validation_failed", `invalid params: ${problems.map((p) => `${p.path[1]}: ${p.message}`).join("; ")}`, problems);
  return out;
}
