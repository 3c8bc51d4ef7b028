// The import boundaries of eslint.config.mjs, checked on deliberate violations: each snippet is linted as if
// it lived at the given path, with the project's own config.
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
}

describe("ESLint boundaries", () => {
  it("components/ never imports app/", async () => {
    expect(await ruleIds("components/x.tsx", 'import { f } from "@/app/(app)/_lib/api-client";\nexport const g = f;\n')).toContain("no-restricted-imports");
    expect(await ruleIds("components/x.tsx", 'import { f } from "../app/(app)/_lib/api-client";\nexport const g = f;\n')).toContain("no-restricted-imports");
    expect(await ruleIds("components/x.tsx", 'import { cn } from "@/lib/utils";\nexport const g = cn;\n')).not.toContain("no-restricted-imports");
  });

  it("lib/ never imports next/* (tests may)", async () => {
    expect(await ruleIds("lib/x/y.ts", 'import { headers } from "next/headers";\nexport const h = headers;\n')).toContain("no-restricted-imports");
    expect(await ruleIds("lib/x/y.ts", 'import type { NextConfig } from "next";\nexport type C = NextConfig;\n')).toContain("no-restricted-imports");
    expect(await ruleIds("lib/x/y.test.ts", 'import { NextRequest } from "next/server";\nexport const r = NextRequest;\n')).not.toContain("no-restricted-imports");
    // next-auth is a library, not the Next.js runtime.
    expect(await ruleIds("lib/x/y.ts", 'import { getServerSession } from "next-auth";\nexport const s = getServerSession;\n')).toEqual([]);
  });

  it("client components never import the database client or other server-only modules", async () => {
    for (const mod of ["@/lib/db", "@/lib/generated/prisma/client", "@/lib/jobs/queue", "ioredis"]) {
      const code = `"use client";\nimport * as m from "${mod}";\nexport const x = m;\n`;
      expect(await ruleIds("app/(app)/x/_components/panel.tsx", code), mod).toContain("neuralops/client-boundary");
    }
    // The same import in a server component is how pages read data.
    expect(await ruleIds("app/(app)/x/page.tsx", 'import { db } from "@/lib/db";\nexport const x = db;\n')).toEqual([]);
    // Dynamic imports count too.
    expect(await ruleIds("components/y.tsx", '"use client";\nexport const load = () => import("@/lib/db");\n')).toContain("neuralops/client-boundary");
  });
});
