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
import { inviteMember } from "@/lib/users/invitations";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import { DEMO_ORG } from "@/lib/orgs/seed-demo";
import { readFile } from "node:fs/promises";
import { signPlaybook, verifyPlaybookSignature } from "@/lib/playbooks/signature";
import { verifyWithKeys } from "@/lib/playbooks/verify-version";
import { playbookDigest } from "@/lib/playbooks/schema";
import { syncCatalog, CATALOG_DIR } from "@/lib/playbooks/save-playbook";
import { addSigningKey } from "@/lib/playbooks/signing-keys";
import { orgRedactor } from "@/lib/orgs/redaction-key";
import { redactLines } from "@/lib/redact/stream";
import { env } from "@/lib/env";
import { noDatabaseHint } from "@/lib/runtime-file";
import { oncallApply } from "./oncall";

/** The database is down, absent or refuses us: worth one line of advice, not a driver stack trace. */
function isConnectionError(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "3D000", "28P01", "28000", "P1001", "P1003"].includes(e.code)) return true;
    if (typeof e.message === "string" && /ECONNREFUSED|database "[^"]+" does not exist|Can't reach database server/.test(e.message)) return true;
  }
  return false;
}

const USAGE = `usage: npm run cli -- <command>

  token create --role <${ROLES.join("|")}> [--user <email> | --service] [--org <slug>] [--name <name>] [--scopes a,b] [--expires-days <n>]
      creates an API token acting for the member --user (never more than their current role); without
      --user, a service token (for integrations and scripts: it can never approve or reject runs, nor
      manage people or tokens); prints the token alone on the last line
  invite --email <email> --role <${ROLES.join("|")}> [--org <slug>]
      invites a person to the org; prints the one-time invitation link alone on the last line
  audit verify [--org <slug>]
      recomputes the audit hash chain; exits 1 if it is broken
  playbook sign <file> --key <private.pem>
      prints the base64 DER ECDSA P-256 signature (cosign sign-blob / openssl dgst -sha256 -sign format)
      alone on the last line
  playbook verify <file> --sig <file.sig> [--pub <public.pem> | --org <slug>]
      exits 0 only for a valid signature: against --pub, or else against the org's trusted keys
  playbook sync [--org <slug>] [--dir <dir>]
      syncs <dir>/*.yaml (+ .sig) into the org as content-addressed versions (default dir: playbooks/)
  key add --name <name> --pub <public.pem> [--org <slug>]
      trusts a public key for playbook signatures
  oncall apply <file.yaml> [--org <slug>] [--yes]
      on-call configuration as code (channels, schedules, escalation policies, routes, silences, inhibition
      rules; format in README, example deploy/oncall.example.yaml): prints what would be created, updated
      or deleted, then applies it with --yes or when you confirm at a terminal; exits 1 on an invalid file
      or a failed change
  redact [--org <slug>]
      reads lines on stdin, writes them redacted to stdout in the same order, one line per line; a line
      that is JSON has every string value redacted. Placeholders are keyed with the org's redaction key
`;

async function orgBySlug(slug: string) {
  const org = await db.organization.findUnique({ where: { slug } });
  if (!org) throw new AppError("not_found", `organization '${slug}' not found`);
  return org;
}

async function run(argv: string[]): Promise<number> {
  const [group, cmd, ...rest] = argv;
  if (group === "token" && cmd === "create") {
    const { values } = parseArgs({
      args: rest,
      options: { role: { type: "string" }, user: { type: "string" }, service: { type: "boolean" }, org: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, "expires-days": { type: "string" } },
    });
    if (values.user && values.service) throw new AppError("bad_request", "--user and --service exclude each other: a token acts for a person or for nobody");
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const created = await createApiToken({
      actor: systemActor("cli", org.id),
      meta: { source: "cli" },
      ...(values.user ? { ownerEmail: values.user } : {}),
      input: {
        // Without --user the token belongs to nobody: a service token, which can never approve.
        service: !values.user,
        name: values.name ?? `cli-${values.role}-${new Date().toISOString().slice(0, 10)}`,
        role: values.role as never,
        ...(values.scopes ? { scopes: values.scopes.split(",").map((x) => x.trim()) as never } : {}),
        ...(values["expires-days"] ? { expiresInDays: Number(values["expires-days"]) } : {}),
      },
    });
    console.error(`created token '${created.name}' (role ${created.role}, ${created.owner ? `acting for ${created.owner}` : "service token"}, org ${org.slug}, id ${created.id}); it is shown once:`);
    console.log(created.token);
    return 0;
  }
  if (group === "invite") {
    const { values } = parseArgs({ args: [cmd ?? "", ...rest].filter(Boolean), options: { email: { type: "string" }, role: { type: "string" }, org: { type: "string" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const inv = await inviteMember({ actor: systemActor("cli", org.id), input: { email: values.email as string, role: values.role as never } });
    console.error(`invited ${inv.email} to ${org.slug} as ${inv.role}; the link is valid until ${inv.expiresAt.toISOString()} and works once:`);
    console.log(inv.url);
    return 0;
  }
  if (group === "audit" && cmd === "verify") {
    const { values } = parseArgs({ args: rest, options: { org: { type: "string" }, record: { type: "boolean" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    // Every check is recorded now; --record is still accepted so existing scripts keep working.
    const verdict = await checkAuditChain({ actor: systemActor("cli", org.id) });
    console.log(JSON.stringify(verdict));
    return verdict.ok ? 0 : 1;
  }
  if (group === "playbook" && (cmd === "sign" || cmd === "verify")) {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { key: { type: "string" }, sig: { type: "string" }, pub: { type: "string" }, org: { type: "string" } } });
    const file = positionals[0];
    if (!file) throw new AppError("bad_request", `playbook ${cmd} needs a file`);
    const bytes = await readFile(file);
    if (cmd === "sign") {
      if (!values.key) throw new AppError("bad_request", "playbook sign needs --key <private.pem>");
      console.error(`signed ${file} (sha256 ${playbookDigest(bytes)})`);
      console.log(signPlaybook(bytes, await readFile(values.key, "utf8")));
      return 0;
    }
    if (!values.sig) throw new AppError("bad_request", "playbook verify needs --sig <file.sig>");
    const signature = (await readFile(values.sig, "utf8")).trim();
    if (values.pub) {
      const ok = verifyPlaybookSignature(bytes, signature, await readFile(values.pub, "utf8"));
      console.log(ok ? "Verified OK" : "Verification failure");
      return ok ? 0 : 1;
    }
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const keys = await db.signingKey.findMany({ where: { orgId: org.id } });
    const verdict = verifyWithKeys({ orgId: org.id, digest: playbookDigest(bytes), source: bytes, signature }, keys, { allowUnsigned: false });
    console.log(verdict.ok ? `Verified OK (key ${"keyName" in verdict ? verdict.keyName : "?"}, org ${org.slug})` : `Verification failure: ${verdict.message}`);
    return verdict.ok ? 0 : 1;
  }
  if (group === "playbook" && cmd === "sync") {
    const { values } = parseArgs({ args: rest, options: { org: { type: "string" }, dir: { type: "string" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const results = await syncCatalog({ actor: systemActor("cli", org.id), dir: values.dir ?? CATALOG_DIR });
    for (const r of results) console.log("error" in r ? `✗ ${r.file}: ${r.error}` : `${r.created ? "+" : "="} ${r.file}: ${r.name} v${r.version} ${r.digest.slice(0, 12)}`);
    return results.some((r) => "error" in r) ? 1 : 0;
  }
  if (group === "key" && cmd === "add") {
    const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, pub: { type: "string" }, org: { type: "string" } } });
    if (!values.name || !values.pub) throw new AppError("bad_request", "key add needs --name and --pub <public.pem>");
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const key = await addSigningKey({ actor: systemActor("cli", org.id), input: { name: values.name, publicKeyPem: await readFile(values.pub, "utf8") } });
    console.log(`trusted key '${key.name}' sha256:${key.fingerprint}`);
    return 0;
  }
  if (group === "oncall" && cmd === "apply") {
    return oncallApply(rest, async (slug) => orgBySlug(slug ?? DEMO_ORG));
  }
  if (group === "redact") {
    const { values } = parseArgs({ args: [cmd, ...rest].filter((x): x is string => x !== undefined), options: { org: { type: "string" } } });
    const org = await orgBySlug(values.org ?? DEMO_ORG);
    const redactor = await orgRedactor(org.id);
    await redactLines(process.stdin, process.stdout, redactor);
    const counts = Object.entries(redactor.counts()).filter(([, n]) => n > 0);
    console.error(`redacted: ${counts.length ? counts.map(([t, n]) => `${t} ${n}`).join(", ") : "nothing"}`);
    return 0;
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
  else if (isConnectionError(err)) console.error(`error: ${noDatabaseHint(env().DATABASE_URL, Boolean(process.env.DATABASE_URL))}`);
  else console.error(err);
  code = code === 1 ? 2 : code;
} finally {
  await db.$disconnect();
  await closeRedis();
}
process.exit(code);
