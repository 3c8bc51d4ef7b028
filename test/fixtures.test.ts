// Data the tests and benchmarks need is in the repository, byte for byte: every file a SHA256SUMS
// manifest names must exist with that digest. A clone that lost one fails here, never skips a test.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const manifests = ["test/fixtures/SHA256SUMS", "bench/nab/corpus/SHA256SUMS"];

function checkManifest(manifest: string): string[] {
  const dir = path.dirname(manifest);
  const problems: string[] = [];
  const lines = readFileSync(manifest, "utf8").split("\n").filter(Boolean);
  if (!lines.length) problems.push(`${manifest} lists no files`);
  for (const line of lines) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) {
      problems.push(`${manifest}: unreadable line ${JSON.stringify(line)}`);
      continue;
    }
    const file = path.join(dir, m[2]!);
    if (!existsSync(file)) problems.push(`missing: ${path.relative(root, file)}`);
    else if (createHash("sha256").update(readFileSync(file)).digest("hex") !== m[1]) problems.push(`changed: ${path.relative(root, file)}`);
  }
  return problems;
}

describe("vendored test data", () => {
  for (const manifest of manifests) {
    it(`${manifest}: every file present and unchanged`, () => {
      expect(checkManifest(path.join(root, manifest))).toEqual([]);
    });
  }

  it("the NAB corpus is complete (58 series, labels, profiles) and carries its licence", () => {
    const sums = readFileSync(path.join(root, "bench/nab/corpus/SHA256SUMS"), "utf8");
    expect(sums.match(/ {2}data\/[^/]+\/[^/]+\.csv$/gm)?.length).toBe(58);
    for (const f of ["labels/combined_windows.json", "config/profiles.json", "LICENSE.txt", "LICENSE_NOTE.md"]) expect(sums).toContain(`  ${f}\n`);
  });
});
