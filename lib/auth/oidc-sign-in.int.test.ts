import { describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import type { OAuthConfig } from "next-auth/providers/oauth";

// The OIDC provider exists only when OIDC_* is configured; lib/env reads them on first use (at import).
vi.hoisted(() => {
  process.env.OIDC_ISSUER = "https://idp.test.local";
  process.env.OIDC_CLIENT_ID = "neuralops";
  process.env.OIDC_CLIENT_SECRET = "oidc-client-secret";
});

const { authOptions } = await import("@/lib/auth/options");
const { resolveOidcUser } = await import("@/lib/auth/resolve-oidc-user");
const { createMember } = await import("@/lib/users/create-member");
const { systemActor } = await import("@/lib/context");
const { makeOrg } = await import("@/test/factories");

type Claims = { sub: string; email: string; name?: string; email_verified?: unknown };

async function member() {
  const org = await makeOrg("oidc");
  const email = `sso-${randomBytes(4).toString("hex")}@test.local`;
  await createMember({ actor: systemActor("test", org.id), input: { email, name: "SSO", role: "operator", password: "a long enough password" } });
  return { org, email };
}

/** What next-auth does after the IdP callback: profile() on the claims, then the signIn and jwt callbacks. */
async function signInWith(claims: Claims) {
  const provider = authOptions.providers.find((p) => p.id === "oidc") as OAuthConfig<Claims>;
  const user = await provider.profile(claims, {});
  const account = { provider: "oidc", type: "oauth" as const, providerAccountId: claims.sub };
  const allowed = await authOptions.callbacks!.signIn!({ user, account, profile: claims });
  const token = await authOptions.callbacks!.jwt!({ token: {}, user, account, profile: claims, trigger: "signIn" });
  return { allowed, token };
}

describe("OIDC sign-in requires a verified e-mail", () => {
  it("signs in an existing member whose IdP says email_verified: true", async () => {
    const { org, email } = await member();
    const { allowed, token } = await signInWith({ sub: "s1", email, email_verified: true });
    expect(allowed).toBe(true);
    expect(token).toMatchObject({ orgId: org.id, role: "operator", email });
  });

  it.each([
    ["false", false],
    ["missing", undefined],
    ["the string 'false'", "false"],
  ])("refuses a profile whose email_verified is %s, even for an existing member's address", async (_, verified) => {
    const { email } = await member();
    const { allowed, token } = await signInWith({ sub: "s2", email, email_verified: verified });
    // Refused: next-auth redirects to the login page with its own message instead of signing in.
    expect(allowed).toBe("/login?error=EmailNotVerified");
    expect(token.orgId).toBeUndefined();
  });

  it("accepts the string 'true' (some IdPs send the claim as a string)", async () => {
    const { email } = await member();
    expect((await signInWith({ sub: "s3", email, email_verified: "true" })).allowed).toBe(true);
  });

  it("resolveOidcUser itself refuses an unverified address", async () => {
    const { email } = await member();
    expect(await resolveOidcUser({ email, name: "x" })).toBeNull();
    expect(await resolveOidcUser({ email, name: "x", emailVerified: false })).toBeNull();
    expect(await resolveOidcUser({ email, name: "x", emailVerified: true })).toMatchObject({ email });
  });
});
