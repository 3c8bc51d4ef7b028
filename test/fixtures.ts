// Payloads captured from the real programs, kept in the repository (test/fixtures/README.md says which
// program and version produced each). A missing file is an error, never a skipped test.
import { readFileSync } from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "fixtures");

export function fixture(relPath: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, relPath));
}
