import { describe, expect, it } from "vitest";
import { assertCan, can } from "@/lib/authz/assert-can";
import { ALL_PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from "@/lib/authz/permissions";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";

const actor = (role: string, extra: Partial<Actor> = {}): Actor => ({ type: "user", id: "u1", orgId: "org-a", role, ...extra });

describe("permission table", () => {
  it("is cumulative: each role has every permission of the role below it", () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = ROLE_PERMISSIONS[ROLES[i - 1]!];
      const higher = ROLE_PERMISSIONS[ROLES[i]!];
      expect(lower.every((p) => higher.includes(p))).toBe(true);
      expect(higher.length).toBeGreaterThan(lower.length);
    }
  });

  it.each([
    ["viewer", "incidents.read", true],
    ["viewer", "runs.request", false],
    ["operator", "runs.request", true],
    ["operator", "runs.approve", false],
    ["approver", "runs.approve", true],
    ["approver", "tokens.manage", false],
    ["admin", "tokens.manage", true],
    ["admin", "users.manage", true],
    ["viewer", "audit.read", true],
    ["viewer", "silences.manage", false],
    ["operator", "silences.manage", true],
    ["approver", "oncall.manage", false],
    ["admin", "oncall.manage", true],
    ["approver", "runs.override", false],
    ["admin", "runs.override", true],
  ] as [string, Permission, boolean][])("%s → %s = %s", (role, perm, expected) => {
    expect(can(actor(role), perm)).toBe(expected);
  });
});

describe("can / assertCan fail closed", () => {
  it("denies unknown roles, including prototype names", () => {
    for (const role of ["root", "", "ADMIN", "constructor", "__proto__", "toString"]) {
      for (const p of ALL_PERMISSIONS) expect(can(actor(role), p)).toBe(false);
    }
  });

  it("denies unknown permissions", () => {
    expect(can(actor("admin"), "everything.do" as Permission)).toBe(false);
  });

  it("denies a resource in another organization", () => {
    expect(can(actor("admin"), "incidents.read", { orgId: "org-b" })).toBe(false);
    expect(can(actor("admin"), "incidents.read", { orgId: "org-a" })).toBe(true);
  });

  it("lets token scopes narrow but never widen the role", () => {
    const scoped = actor("operator", { type: "token", scopes: ["incidents.read", "runs.approve"] });
    expect(can(scoped, "incidents.read")).toBe(true);
    expect(can(scoped, "runs.request")).toBe(false);
    expect(can(scoped, "runs.approve")).toBe(false);
  });

  it("throws unauthenticated without an actor and forbidden without the permission", () => {
    expect(() => assertCan(null, "incidents.read")).toThrowError(expect.objectContaining({ code: "unauthenticated" }) as never);
    try {
      assertCan(actor("viewer"), "runs.request");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(403);
    }
  });
});

describe("decisions that need a person", () => {
  it("a service token (no owner) never approves, rejects, or manages tokens or people, whatever its role", () => {
    const svc = actor("admin", { type: "token" });
    for (const p of ["runs.approve", "runs.reject", "tokens.manage", "users.manage"] as Permission[]) expect(can(svc, p)).toBe(false);
    expect(can(svc, "playbooks.manage")).toBe(true);
  });

  it("a person's token keeps what its (already lowered) role and scopes allow", () => {
    const mine = actor("approver", { type: "token", userId: "u1" });
    expect(can(mine, "runs.approve")).toBe(true);
    expect(can(actor("approver", { type: "token", userId: "u1", scopes: ["incidents.read"] }), "runs.approve")).toBe(false);
  });

  it("a background job (system actor) administers but never approves", () => {
    const system = actor("admin", { type: "system" });
    expect(can(system, "tokens.manage")).toBe(true);
    expect(can(system, "runs.approve")).toBe(false);
    expect(can(system, "runs.reject")).toBe(false);
  });
});
