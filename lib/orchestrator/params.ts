// Operator-supplied parameters checked against the playbook's declared params: unknown names, wrong
// types, patterns, enums and ranges are refused before a run exists.
import { AppError } from "@/lib/errors";
import type { ParamSpec } from "@/lib/playbooks/schema";

export type ParamValue = string | number | boolean;

export function resolveParams(specs: Record<string, ParamSpec>, input: Record<string, ParamValue>): Record<string, ParamValue> {
  const problems: string[] = [];
  for (const name of Object.keys(input)) if (!Object.hasOwn(specs, name)) problems.push(`${name}: not a parameter of this playbook`);
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    let v: ParamValue | undefined = Object.hasOwn(input, name) ? input[name] : spec.default;
    // Forms send strings; accept "3" for a number and "true" for a boolean, nothing looser.
    if (typeof v === "string" && spec.type === "number" && v.trim() !== "" && Number.isFinite(Number(v))) v = Number(v);
    if (typeof v === "string" && spec.type === "boolean" && (v === "true" || v === "false")) v = v === "true";
    if (v === undefined || v === "") {
      if (spec.required) problems.push(`${name}: required`);
      continue;
    }
    if (typeof v !== spec.type) {
      problems.push(`${name}: must be a ${spec.type}`);
      continue;
    }
    if (spec.enum && !spec.enum.includes(v as string | number)) problems.push(`${name}: must be one of ${spec.enum.join(", ")}`);
    if (typeof v === "string" && spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(v)) problems.push(`${name}: does not match ${spec.pattern}`);
    if (typeof v === "number" && spec.min !== undefined && v < spec.min) problems.push(`${name}: must be ≥ ${spec.min}`);
    if (typeof v === "number" && spec.max !== undefined && v > spec.max) problems.push(`${name}: must be ≤ ${spec.max}`);
    out[name] = v;
  }
  if (problems.length) throw new AppError("validation_failed", `invalid params: ${problems.join("; ")}`, problems);
  return out;
}
