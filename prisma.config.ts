import { defineConfig } from "prisma/config";

// The URL is only read by Prisma CLI commands (migrate deploy where Prisma's binaries are reachable).
// The app builds its client with a driver adapter in lib/db.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/neuralops" },
});
