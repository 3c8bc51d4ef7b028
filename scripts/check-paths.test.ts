import path from "node:path";
import { describe, expect, it } from "vitest";
import { findMachinePaths, scanTree } from "./check-paths";

// Split so neither the tree scan nor a grep for such paths flags this file.
const ws = ["/wo", "rk/shared/datasets/nab"].join("");
const beside = ["../..", "/shared/fixtures"].join("");

describe("findMachinePaths", () => {
  it("flags workspace paths, home directories, the checkout's location and ../shared reads", () => {
    const files = [
      { file: "lib/a.ts", text: `const root = "${ws}";` },
      { file: "lib/b.ts", text: 'readFileSync("/home/alice/data.csv")' }, // path-example
      { file: "lib/c.ts", text: `path.resolve(dir, "${beside}")` },
      { file: "README.md", text: "cd /Users/bob/src/neuralops" }, // path-example
      { file: "lib/d.ts", text: "const p = '/srv/checkout/lib/x';" },
    ];
    const found = findMachinePaths(files, ["/srv/checkout"]);
    expect(found.map((f) => `${f.file}:${f.line}`)).toEqual(["lib/a.ts:1", "lib/b.ts:1", "lib/c.ts:1", "README.md:1", "lib/d.ts:1"]);
  });

  it("leaves system paths, temp dirs, URLs, marked examples and data corpora alone", () => {
    const files = [
      { file: "playwright.config.ts", text: 'executablePath: "/usr/bin/chromium"' },
      { file: "README.md", text: "npm run bench:nab -- --out /tmp/nab\nhttps://example.com/home/alice/x" },
      { file: "agent/README.md", text: "KUBECONFIG=/home/me/.kube/config npm run agent   # path-example" },
      { file: "lib/redact/corpus/logs.jsonl", text: '{"text":"PWD=/home/deploy"}' },
    ];
    expect(findMachinePaths(files)).toEqual([]);
  });
});

describe("the repository", () => {
  it("names no path of a particular machine", () => {
    expect(scanTree(path.resolve(import.meta.dirname, ".."))).toEqual([]);
  });
});
