/**
 * Redaction quality on labelled corpus folders: per-type recall (masked, and of the right type), precision,
 * recall without names/addresses/dates of birth, and keep rate (definitions in lib/redact/score.ts).
 *
 *   npm run bench:redact -- [folder …] [--mask-private] [--misses] [--lost] [--fp]
 *
 * Default folders: lib/redact/corpus, lib/redact/corpus-dev, lib/redact/corpus-v2 (held out: score only).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { evaluate, loadCorpus, table } from "@/lib/redact/score";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "mask-private": { type: "boolean", default: false },
    misses: { type: "boolean", default: false },
    lost: { type: "boolean", default: false },
    fp: { type: "boolean", default: false },
    mistyped: { type: "boolean", default: false },
  },
});

const root = path.join(import.meta.dirname, "..");
const dirs = positionals.length ? positionals : ["lib/redact/corpus", "lib/redact/corpus-dev", "lib/redact/corpus-v2"];
for (const d of dirs) {
  const ev = evaluate(loadCorpus(path.resolve(root, d)), { maskPrivateAddresses: values["mask-private"] });
  console.log(`\n## ${d}${values["mask-private"] ? " (maskPrivateAddresses)" : ""}\n${table(ev)}`);
  if (values.misses && ev.misses.length) console.log(`missed:\n${ev.misses.join("\n")}`);
  if (values.mistyped && ev.mistyped.length) console.log(`masked as another type:\n${ev.mistyped.join("\n")}`);
  if (values.fp && ev.falsePositives.length) console.log(`spans over no label:\n${ev.falsePositives.join("\n")}`);
  if (values.lost && ev.lost.length) console.log(`tokens changed:\n${ev.lost.join("\n")}`);
}
