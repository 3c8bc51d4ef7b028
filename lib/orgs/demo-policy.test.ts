import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePlaybook } from "@/lib/playbooks/schema";
import { secretNames } from "@/lib/orchestrator/template";
import { isGranted } from "@/lib/secrets/grants";
import { ZEgressPolicy } from "@/lib/egress/policy";
import { DEMO_EGRESS, DEMO_SECRET_GRANTS } from "@/lib/orgs/demo-policy";

const CATALOG = path.join(import.meta.dirname, "../../playbooks");

describe("demo organization policy", () => {
  it("grants every secret the catalog names", () => {
    const names = new Set<string>();
    for (const file of readdirSync(CATALOG).filter((f) => f.endsWith(".yaml"))) {
      for (const step of parsePlaybook(readFileSync(path.join(CATALOG, file))).steps) secretNames(step.with, names);
    }
    expect(names.size).toBeGreaterThan(0);
    expect([...names].filter((n) => !isGranted(n, DEMO_SECRET_GRANTS))).toEqual([]);
  });

  it("is a valid, normalized egress policy", () => {
    expect(ZEgressPolicy.parse(DEMO_EGRESS)).toEqual(DEMO_EGRESS);
  });
});
