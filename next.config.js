import { readFileSync } from "node:fs";

// On every response, pages and API alike. The pages' Content-Security-Policy needs a nonce per request, so
// proxy.ts sets it (lib/security/csp.ts). The list is shared with the ingest fast path (lib/http/fast-routes.ts),
// which answers its routes without Next's router.
const SECURITY_HEADERS = JSON.parse(readFileSync(new URL("./lib/security/security-headers.json", import.meta.url), "utf8"));

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
