// `npm test`'s first stage: nothing in the tree may name a path of one particular machine. A user's
// clone has no workspace folder beside it and no developer's home directory: data the project needs
// is vendored (test/fixtures, bench/nab/corpus), everything else is relative to the repository.
// A line that must show such a path as an example says so with the marker `path-example`.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export type Finding = { file: string; line: number; text: string; why: string };

// Built from parts so this file does not match its own patterns.
const WORKSPACE = ["work", "farm"].join("|");
const RULES: { re: RegExp; why: string }[] = [
  { re: new RegExp(`(^|[^A-Za-z0-9_.~-])/(${WORKSPACE})/[A-Za-z.]`), why: "a workspace path of the build machines" },
  { re: /(^|[^A-Za-z0-9_.~-])\/(home|Users)\/[A-Za-z0-9._-]+\//, why: "a developer's home directory" },
  { re: /(^|[^A-Za-z0-9_.~-])\/root\/[A-Za-z.]/, why: "root's home directory" },
  { re: /[A-Za-z]:\\\\?Users\\\\?/, why: "a Windows home directory" },
  { re: /\.\.\/(\.\.\/)*shared\//, why: "a folder beside the repository (not in a user's clone)" },
];
const MARKER = "path-example";
// Data corpora quote log lines verbatim (a PWD or an ssh path in a log is the test's point).
const SKIP = [/^bench\/nab\/corpus\//, /^lib\/redact\/corpus(-[\w]+)?\//, /(^|\/)package-lock\.json$/];
const IGNORED_DIRS = new Set(["node_modules", ".next", ".data", ".git", "test-results", "playwright-report", "coverage", "generated"]);

export function findMachinePaths(files: { file: string; text: string }[], extra: string[] = []): Finding[] {
  const rules = [...RULES, ...extra.filter(Boolean).map((p) => ({ re: new RegExp(escapeRe(p)), why: "this checkout's own location" }))];
  const found: Finding[] = [];
  for (const { file, text } of files) {
    if (SKIP.some((re) => re.test(file))) continue;
    text.split("\n").forEach((line, i) => {
      if (line.includes(MARKER)) return;
      const rule = rules.find((r) => r.re.test(line));
      if (rule) found.push({ file, line: i + 1, text: line.trim().slice(0, 160), why: rule.why });
    });
  }
  return found;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Files of the tree: tracked and untracked-but-not-ignored when git is there, else a walk. */
export function treeFiles(root: string): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\0").filter(Boolean);
  } catch {
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
        if (e.isDirectory() && !IGNORED_DIRS.has(e.name)) walk(path.join(rel, e.name));
        else if (e.isFile()) files.push(path.join(rel, e.name));
      }
    };
    walk("");
    return files;
  }
}

export function scanTree(root: string): Finding[] {
  const files = treeFiles(root).flatMap((file) => {
    const abs = path.join(root, file);
    try {
      if (statSync(abs).size > 2_000_000) return [];
      const buf = readFileSync(abs);
      if (buf.includes(0)) return []; // binary
      return [{ file, text: buf.toString("utf8") }];
    } catch {
      return []; // deleted in the work tree
    }
  });
  // The checkout's own absolute location is a machine path wherever it is cloned.
  return findMachinePaths(files, [root]);
}

if (import.meta.filename === process.argv[1]) {
  const findings = scanTree(path.resolve(import.meta.dirname, ".."));
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.why}: ${f.text}`);
  if (findings.length) {
    console.error(`check-paths: ${findings.length} machine-specific path(s) (mark a documented example with '${MARKER}')`);
    process.exit(1);
  }
  console.log("check-paths: no machine-specific paths");
}
