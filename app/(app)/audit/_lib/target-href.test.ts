import { describe, expect, it } from "vitest";
import { auditTargetHref } from "./target-href";

describe("auditTargetHref", () => {
  const id = "0b6f1d3e-8d2a-4c5b-9e7f-1a2b3c4d5e6f";

  it("links records with a page to that page", () => {
    expect(auditTargetHref("run", id)).toBe(`/runs/${id}`);
    expect(auditTargetHref("incident", id)).toBe(`/incidents/${id}`);
    expect(auditTargetHref("escalation_policy", id)).toBe(`/oncall/policies/${id}`);
    expect(auditTargetHref("playbook_version", id, { name: "restart deployment" })).toBe("/playbooks/restart%20deployment");
  });

  it("falls back to the list for targets without a page, or ids that are not ours", () => {
    expect(auditTargetHref("api_token", id)).toBe("/settings#tokens");
    expect(auditTargetHref("run", "../../api/v1/tokens")).toBe("/runs");
    expect(auditTargetHref("playbook_version", id, null)).toBe("/playbooks");
    expect(auditTargetHref("thing", id)).toBeNull();
  });
});
