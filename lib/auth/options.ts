// next-auth configuration: credentials login (always) and an OIDC provider when OIDC_* is set.
// Sessions are JWTs carrying user id, org id and role; get-actor.ts re-reads the membership on every
// request, so a role change or removal takes effect immediately.
import type { NextAuthOptions } from "next-auth";
import CredentialsProviderModule from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { verifyCredentials, type SessionIdentity } from "@/lib/auth/verify-credentials";
import { oidcUserFromClaims, resolveOidcUser, type OidcUser } from "@/lib/auth/resolve-oidc-user";
import { clientIp, trustedProxies } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";

// next-auth ships CommonJS with `exports.default`: bundlers unwrap it, plain Node (worker, CLI, the
// scale-out test's web processes) hands over the module object.
const CredentialsProvider = ((CredentialsProviderModule as unknown as { default?: typeof CredentialsProviderModule }).default ??
  CredentialsProviderModule) as typeof CredentialsProviderModule;


function oidcProvider(): NextAuthOptions["providers"] {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: process.env.OIDC_NAME ?? "Single sign-on",
      type: "oauth",
      wellKnown: `${OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: oidcUserFromClaims,
    },
  ];
}

export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  // Session and CSRF cookies are Secure (and __Secure-/__Host- prefixed) whenever the app is served over https.
  useSecureCookies: env().NEXTAUTH_URL?.startsWith("https://") ?? false,
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" }, org: { label: "Organization", type: "text" } },
      async authorize(credentials, req) {
        try {
          const identity = await verifyCredentials(credentials, clientIp(req?.headers, trustedProxies()));
          return identity ? { id: identity.userId, ...identity } : null;
        } catch (err) {
          // next-auth passes the message to the login page as ?error=…; keep it a code (plus the wait, which
          // app/api/auth/[...nextauth]/route.ts turns into a 429 with Retry-After).
          if (err instanceof AppError && err.code === "rate_limited") {
            throw new Error(`RateLimited:${(err.details as { retryAfterSeconds: number }).retryAfterSeconds}`);
          }
          throw err;
        }
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      // Refused (resolveOidcUser says no) either way; this one gets its own message on the login page.
      if (!(user as OidcUser).emailVerified) return "/login?error=EmailNotVerified";
      return (await resolveOidcUser(user as OidcUser)) !== null;
    },
    async jwt({ token, user, account }) {
      if (user && account) {
        const identity: SessionIdentity | null =
          account.provider === "oidc" ? await resolveOidcUser(user as OidcUser) : (user as unknown as SessionIdentity);
        if (identity) {
          token.uid = identity.userId;
          token.orgId = identity.orgId;
          token.orgSlug = identity.orgSlug;
          token.role = identity.role;
          token.name = identity.name;
          token.email = identity.email;
        }
      }
      return token;
    },
    async session({ session, token }) {
      session.user = {
        id: String(token.uid ?? ""),
        email: token.email ?? "",
        name: token.name ?? "",
        orgId: String(token.orgId ?? ""),
        orgSlug: String(token.orgSlug ?? ""),
        role: String(token.role ?? ""),
      };
      return session;
    },
  },
};
