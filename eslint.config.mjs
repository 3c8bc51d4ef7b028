// ESLint (flat config): typescript-eslint, Next's plugin, and the import boundaries that keep the layers
// apart. `npm test` runs it as the `lint` stage; `npx eslint .` runs it alone.
import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";

/** Modules that hold server-only state or secrets: never in a bundle shipped to the browser. */
const SERVER_ONLY = ["@/lib/db", "@/lib/db/*", "@/lib/generated/*", "@prisma/*", "@/lib/secrets/*", "@/lib/redis", "@/lib/jobs/*", "pg", "ioredis", "bullmq"];

/**
 * `"use client"` files are bundled for the browser: importing the database client (or anything above) from one
 * either breaks the build or, worse, ships server code. Path globs cannot tell client files apart, the directive can.
 */
const clientBoundary = {
  meta: { type: "problem", schema: [], messages: { serverOnly: "a \"use client\" module must not import {{name}} (server-only); fetch through the API or pass data from a server component" } },
  create(context) {
    const body = context.sourceCode.ast.body;
    const isClient = body.some((n) => n.type === "ExpressionStatement" && n.directive === "use client");
    if (!isClient) return {};
    const banned = (name) =>
      SERVER_ONLY.some((p) => (p.endsWith("/*") ? name.startsWith(p.slice(0, -1)) || name === p.slice(0, -2) : name === p));
    const check = (node) => {
      const name = node.source?.value;
      if (typeof name === "string" && banned(name)) context.report({ node, messageId: "serverOnly", data: { name } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", "lib/generated/**", "coverage/**", "test-results/**", "playwright-report/**", ".data/**", "next-env.d.ts", "**/*.js", "**/*.mjs", "bench/nab/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks, neuralops: { rules: { "client-boundary": clientBoundary } } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "neuralops/client-boundary": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
    settings: { next: { rootDir: "." } },
  },
  {
    // Shared UI pieces are used by pages, never the other way round.
    files: ["components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*", "**/app/*"], message: "components/ must not import app/: move what both need into components/ or lib/" }] }] },
  },
  {
    // Domain logic runs in routes, workers and the CLI alike: no Next.js runtime in lib/ (tests may build requests).
    files: ["lib/**/*.ts"],
    ignores: ["lib/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["next", "next/*", "@/app/*"], message: "lib/ must not import Next.js or app/: keep the adapter in app/ and pass plain values in" }] }] },
  },
  {
    files: ["**/*.test.ts", "**/*.int.test.ts", "e2e/**", "test/**", "bench/**", "scripts/**"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
);
