// `npm run cli -- <command>`: operator commands that run with direct database access (no API token).
// Each command is a thin adapter over a lib/ function, acting as a system actor of the chosen org.
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { db } from "@/lib/db";
import { closeRedis } from "@/lib/redis";
import { systemActor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { ROLES } from "@/lib/authz/permissions";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import { DEMO_ORG } from "@/lib/orgs/seed-demo";

const USAGE = `usage: npm run cli -- <command>

  token create --role <${ROLES.join("|")}> [--org <slug>] [--name <name>] [--scopes a,b] [--expires-days <n>]
      creates an API token; prints it alone on the last line
  audit verify [--org <slug>] [--record]
      recomputes the audit hash chain; exits 1 if it is broken
`;

async function orgBySlug(slug: string) {
  const org = await db.organization.findUnique({ where: { slug } });
  if (!org) throw new AppError("not_found", `organization '${slug}' not found`);
  return org;
}

async function run(argv: string[]): Promise<number> {
  const [group, cmd, ...rest] = argv;
  if (group === "token" && cmd === "create") {
    const { values } = parseArgs({ args: rest, options: { role: { type: "string" }, org: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, "expires-days": { type: "string" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const created = await createApiToken({
      actor: systemActor("cli", org.id),
      meta: { source: "cli" },
      input: {
        name: values.name ?? `cli-${values.role}-${new Date().toISOString().slice(0, 10)}`,
        role: values.role as never,
        ...(values.scopes ? { scopes: values.scopes.split(",").map((x) => x.trim()) as never } : {}),
        ...(values["expires-days"] ? { expiresInDays: Number(values["expires-days"]) } : {}),
      },
    });
    console.error(`created token '${created.name}' (role ${created.role}, org ${org.slug}, id ${created.id}); it is shown once:`);
    console.log(created.token);
    return 0;
  }
  if (group === "audit" && cmd === "verify") {
    const { values } = parseArgs({ args: rest, options: { org: { type: "string" }, record: { type: "boolean" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const verdict = await checkAuditChain({ actor: systemActor("cli", org.id), record: values.record ?? false });
    console.log(JSON.stringify(verdict));
    return verdict.ok ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

let code = 1;
try {
  code = await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof AppError) console.error(`error: ${err.message}${err.details ? ` ${JSON.stringify(err.details)}` : ""}`);
  else if (err instanceof ZodError) console.error(`error: ${err.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
  else if ((err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
  else console.error(err);
  code = code === 1 ? 2 : code;
} finally {
  await db.$disconnect();
  await closeRedis();
}
process.exit(code);
