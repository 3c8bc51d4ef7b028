import { describe, expect, it } from "vitest";
import { minimumRole } from "@/lib/authz/permissions";

describe("minimumRole", () => {
  it("names the least role holding a permission", () => {
    expect(minimumRole("incidents.read")).toBe("viewer");
    expect(minimumRole("incidents.ack")).toBe("operator");
    expect(minimumRole("runs.request")).toBe("operator");
    expect(minimumRole("runs.approve")).toBe("approver");
    expect(minimumRole("tokens.manage")).toBe("admin");
  });
});
