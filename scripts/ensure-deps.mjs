// First step of `npm run up` / `npm test`, so plain Node with no dependencies: it runs before
// node_modules exists. Installs exactly the lockfile when node_modules is missing or older than it,
// and makes sure the Prisma client has been generated. A no-op (a few stat calls) when up to date.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const at = (p) => path.join(root, p);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19) || major === 21) {
  console.error(`NeuralOps needs Node 20.19+ or 22+ (this is ${process.version}).`);
  process.exit(1);
}

function run(args, why) {
  console.log(`[deps] ${why}: npm ${args.join(" ")}`);
  const res = spawnSync(npm, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (res.status !== 0) {
    console.error(`[deps] npm ${args.join(" ")} failed (${res.error?.message ?? `exit ${res.status ?? res.signal}`})`);
    process.exit(res.status || 1);
  }
}

const mtime = (p) => statSync(p).mtimeMs;
const lock = at("package-lock.json");
// npm writes node_modules/.package-lock.json after every install: it is the record of what is installed.
const installed = at("node_modules/.package-lock.json");

if (!existsSync(at("node_modules")) || !existsSync(installed)) {
  run(["ci"], "node_modules is missing");
} else if (existsSync(lock) && mtime(lock) > mtime(installed)) {
  run(["ci"], "package-lock.json changed since the last install");
}

// `npm ci` runs the postinstall that generates it; this covers installs made with --ignore-scripts
// and a deleted lib/generated.
const client = at("lib/generated/prisma/client.ts");
if (!existsSync(client)) {
  run(["run", "db:generate"], "the Prisma client is not generated");
} else if (mtime(at("prisma/schema.prisma")) > mtime(client)) {
  run(["run", "db:generate"], "prisma/schema.prisma changed since the client was generated");
}
