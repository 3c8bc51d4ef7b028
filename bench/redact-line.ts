// `npx tsx bench/redact-line.ts [--corpus lib/redact/corpus-dev4] [--runs 9]`
// The latency of redacting one 256 KiB line of PII-dense, real-looking text: every record of a corpus folder joined
// into one line (values recur, so propagation, rendering and every detector family do real work). Prints the best
// of `--runs` after a warm-up that loads the name list, compiles the regexes and warms the JIT, as JSON.
// lib/redact/linear-time.timing.test.ts runs it in a child process: under vitest's module runner every call from
// one module to another is a property read on a module object, which added about 10% to this line.
import { parseArgs } from "node:util";
import { createRedactor } from "../lib/redact";
import { loadCorpus } from "../lib/redact/score";

const { values } = parseArgs({ options: { corpus: { type: "string", default: "lib/redact/corpus-dev4" }, runs: { type: "string", default: "9" } } });
const LINE = 256 * 1024;
const texts = loadCorpus(values.corpus).map((r) => r.text.replace(/\n/g, " "));
let line = "";
for (let i = 0; line.length < LINE; i++) line += `${texts[i % texts.length]} `;
line = line.slice(0, LINE);

const redactor = createRedactor({ key: new Uint8Array(Buffer.from("linear-time-test-key-0123456789ab")) });
redactor.text(line);
const runs: number[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const t = performance.now();
  redactor.text(line);
  runs.push(performance.now() - t);
}
console.log(JSON.stringify({ corpus: values.corpus, bytes: line.length, bestMs: Math.min(...runs), runsMs: runs.map((ms) => Math.round(ms * 10) / 10) }));
