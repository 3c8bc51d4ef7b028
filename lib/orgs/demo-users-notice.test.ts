import { describe, expect, it } from "vitest";
import { activeDemoUsersLine, demoUsersWarning, parseActiveDemoUsersLine } from "@/lib/orgs/demo-users-notice";

describe("demo users notice", () => {
  it("the seed's line round-trips to `npm run up`", () => {
    const emails = ["admin@demo.neuralops.local", "viewer@demo.neuralops.local"];
    expect(parseActiveDemoUsersLine(activeDemoUsersLine(emails))).toEqual(emails);
    expect(parseActiveDemoUsersLine(activeDemoUsersLine([]))).toEqual([]);
    expect(parseActiveDemoUsersLine("seed: playbook catalog synced (3 ok)")).toBeUndefined();
  });

  it("warns with the accounts, the password and how to disable them; says nothing when none is left", () => {
    const text = demoUsersWarning(["admin@demo.neuralops.local"]).join("\n");
    expect(text).toContain("admin@demo.neuralops.local");
    expect(text).toContain("neuralops-demo");
    expect(text).toContain("npm run db:seed -- --disable-demo-users");
    expect(demoUsersWarning([])).toEqual([]);
  });
});
