/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-side libraries with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["bullmq", "ioredis", "prom-client", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
