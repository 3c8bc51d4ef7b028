// On every response, pages and API alike. The pages' Content-Security-Policy needs a nonce per request, so
// proxy.ts sets it (lib/security/csp.ts).
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-side libraries with native or dynamic requires stay outside the bundle.
  // humannames: 3 MB of JSON read lazily by lib/redact/names.ts.
  serverExternalPackages: ["bullmq", "ioredis", "prom-client", "pg", "@prisma/adapter-pg", "humannames", "@faker-js/faker"],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
