import { describe, expect, it } from "vitest";
import { resolveParams } from "@/lib/orchestrator/params";
import type { ParamSpec } from "@/lib/playbooks/schema";

const specs: Record<string, ParamSpec> = {
  deployment: { type: "string", required: true, pattern: "[a-z0-9-]+" },
  replicas: { type: "number", required: false, default: 3, min: 1, max: 20 },
  dryRun: { type: "boolean", required: false, default: false },
  tier: { type: "string", required: false, enum: ["web", "worker"] },
};

describe("resolveParams", () => {
  it("applies defaults and coerces form strings", () => {
    expect(resolveParams(specs, { deployment: "checkout", replicas: "5", dryRun: "true" })).toEqual({ deployment: "checkout", replicas: 5, dryRun: true });
    expect(resolveParams(specs, { deployment: "api" })).toEqual({ deployment: "api", replicas: 3, dryRun: false });
  });

  it("lists every problem at once", () => {
    try {
      resolveParams(specs, { deployment: "Not Valid", replicas: 50, tier: "db", extra: 1, dryRun: "yes" });
      expect.unreachable();
    } catch (err) {
      expect((err as { details: { path: string[]; message: string }[] }).details.map((d) => `${d.path.join(".")}: ${d.message}`)).toEqual([
        "params.extra: not a parameter of this playbook",
        "params.deployment: does not match [a-z0-9-]+",
        "params.replicas: must be ≤ 20",
        "params.dryRun: must be a boolean",
        "params.tier: must be one of web, worker",
      ]);
    }
  });

  it("requires required params and anchors patterns", () => {
    expect(() => resolveParams(specs, {})).toThrow(/deployment: required/);
    expect(() => resolveParams(specs, { deployment: "ok; rm -rf /" })).toThrow(/does not match/);
  });
});
