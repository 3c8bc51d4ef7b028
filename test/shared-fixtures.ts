// Captured payloads from the real programs live in the workspace's shared/ folder, beside the repo
// (CI lays it out the same way); SHARED_DIR overrides.
import { readFileSync } from "node:fs";
import path from "node:path";

export const SHARED_DIR = process.env.SHARED_DIR ?? path.resolve(import.meta.dirname, "../../shared");

export function sharedFixture(relPath: string): Buffer {
  return readFileSync(path.join(SHARED_DIR, "fixtures", relPath));
}
