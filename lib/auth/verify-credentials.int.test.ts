import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { createMember } from "@/lib/users/create-member";
import { systemActor } from "@/lib/context";
import { db } from "@/lib/db";
import { makeOrg } from "@/test/factories";

async function userWithPassword(role: "viewer" | "admin" = "viewer") {
  const org = await makeOrg("login");
  const email = `u-${randomBytes(4).toString("hex")}@test.local`;
  await createMember({ actor: systemActor("test", org.id), input: { email, name: "U", role, password: "a long enough password" } });
  return { org, email };
}

describe("credentials login", () => {
  it("returns the identity with org and role for the right password only", async () => {
    const { org, email } = await userWithPassword("admin");
    expect(await verifyCredentials({ email: email.toUpperCase(), password: "a long enough password" })).toMatchObject({
      email,
      orgId: org.id,
      orgSlug: org.slug,
      role: "admin",
    });
    expect(await verifyCredentials({ email, password: "wrong password" })).toBeNull();
    expect(await verifyCredentials({ email: "nobody@test.local", password: "x" })).toBeNull();
    expect(await verifyCredentials({ email: "not-an-email", password: "x" })).toBeNull();
  });

  it("refuses disabled users", async () => {
    const { email } = await userWithPassword();
    await db.user.update({ where: { email }, data: { disabledAt: new Date() } });
    expect(await verifyCredentials({ email, password: "a long enough password" })).toBeNull();
  });

  // Throttling itself: rate-limit.int.test.ts.
  it("a successful login clears the account's counter", async () => {
    const { email } = await userWithPassword();
    const max = Number(process.env.LOGIN_MAX_ATTEMPTS ?? 10);
    for (let i = 0; i < max - 1; i++) await verifyCredentials({ email, password: "wrong" });
    expect(await verifyCredentials({ email, password: "a long enough password" })).not.toBeNull();
    for (let i = 0; i < max - 1; i++) expect(await verifyCredentials({ email, password: "wrong" })).toBeNull();
  });
});
