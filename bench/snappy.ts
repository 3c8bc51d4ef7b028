/**
 * Our snappy block decoder (lib/insight/remote-write/snappy.ts) against `snappyjs`, on remote_write bodies:
 * decode speed (MB/s of decompressed output, samples/s; median of several interleaved runs) and the decoder's
 * fuzz/property cases from remote-write.test.ts run through both (malformed input must throw, never hang,
 * never return made-up bytes, never allocate past the limit). snappyjs runs those cases in a worker thread with a
 * deadline, because some inputs keep it busy for minutes (a 7-byte body did).
 *
 *   npm run bench:snappy -- [--runs 9] [--ms 200]
 */
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import * as snappyjs from "snappyjs";
import { fixture as capturedFixture } from "@/test/fixtures";
import { decodeWriteRequestProto, snappyDecompress } from "@/lib/insight/remote-write";
import { copy4, encodeWriteRequestProto, snappyCompress, type EncodeSeries } from "@/lib/insight/remote-write/encode.testing";

const { values } = parseArgs({ options: { runs: { type: "string", default: "9" }, ms: { type: "string", default: "200" } } });
const RUNS = Number(values.runs);
const RUN_MS = Number(values.ms);
const MB = 1 << 20;
const LIMIT = 32 * MB; // the route's default decompressed-size cap order of magnitude

type Decoder = (body: Uint8Array, max: number) => Uint8Array;
const decoders: Record<string, Decoder> = {
  ours: snappyDecompress,
  snappyjs: (body, max) => snappyjs.uncompress(body, max),
};

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** A node_exporter-like batch: `n` series, one sample each, over 20 instances (what a scrape-and-forward sends). */
function nodeBatch(n: number): EncodeSeries[] {
  const t = Date.UTC(2026, 11, 7, 12);
  const metrics = ["node_cpu_seconds_total", "node_network_receive_bytes_total", "node_filesystem_avail_bytes", "node_disk_io_time_seconds_total", "node_memory_MemAvailable_bytes"];
  const modes = ["user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"];
  return Array.from({ length: n }, (_, i) => ({
    labels: {
      __name__: metrics[i % metrics.length]!,
      instance: `node-${(i >> 7) % 20}.prod-eu-1.internal:9100`,
      job: "node",
      cluster: "prod-eu-1",
      cpu: String(i % 16),
      mode: modes[(i >> 4) % modes.length]!,
      device: `nvme${i % 4}n1`,
    },
    samples: [{ t: t + (i % 15) * 1000, v: 1e5 + ((i * 7919) % 100_000) / 7 }],
  }));
}

const inputs: { name: string; body: Uint8Array; samples: number; decoded: number }[] = [];
{
  const real = new Uint8Array(capturedFixture("remote_write/prometheus-2.42-writerequest.snappy"));
  inputs.push({ name: "Prometheus 2.42 capture (500 samples)", body: real, samples: 500, decoded: snappyDecompress(real, LIMIT).length });
  for (const n of [2000, 10_000]) {
    const proto = encodeWriteRequestProto({ series: nodeBatch(n) });
    // snappyjs' compressor is a port of the reference one (as Go's, which Prometheus uses): realistic copy mix.
    const body = snappyjs.compress(proto);
    inputs.push({ name: `node_exporter-like, ${n} samples`, body, samples: n, decoded: proto.length });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Speed

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

let sink = 0;
/** Iterations per second of `fn` over one run of about RUN_MS. */
function rate(fn: () => void): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < RUN_MS) {
    for (let i = 0; i < 16; i++) fn();
    n += 16;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

console.log(`node ${process.version}, ${RUNS} runs of ~${RUN_MS} ms each, interleaved; median (min–max)\n`);
const rows: string[][] = [["input", "compressed", "decoded", "decoder", "snappy MB/s", "samples/s (snappy)", "samples/s (snappy+protobuf)"]];
const summary: { input: string; ours: number; theirs: number; oursFull: number; theirsFull: number }[] = [];
for (const input of inputs) {
  for (const d of Object.values(decoders)) {
    // Same bytes out of both, before timing anything.
    if (Buffer.compare(d(input.body, LIMIT), decoders.ours!(input.body, LIMIT)) !== 0) throw new Error(`decoders disagree on ${input.name}`);
    for (let i = 0; i < 200; i++) sink += d(input.body, LIMIT).length; // warm-up (JIT)
  }
  const snappy: Record<string, number[]> = { ours: [], snappyjs: [] };
  const full: Record<string, number[]> = { ours: [], snappyjs: [] };
  for (let r = 0; r < RUNS; r++) {
    // Alternate who goes first: a shared machine's load drifts between runs.
    const order = r % 2 ? ["snappyjs", "ours"] : ["ours", "snappyjs"];
    for (const name of order) {
      const d = decoders[name]!;
      snappy[name]!.push(rate(() => (sink += d(input.body, LIMIT).length)));
      full[name]!.push(rate(() => (sink += decodeWriteRequestProto(d(input.body, LIMIT)).series.length)));
    }
  }
  const fmt = (xs: number[], k: number, digits: number) => `${(median(xs) * k).toFixed(digits)} (${(Math.min(...xs) * k).toFixed(digits)}–${(Math.max(...xs) * k).toFixed(digits)})`;
  for (const name of ["ours", "snappyjs"]) {
    rows.push([
      input.name,
      `${(input.body.length / 1024).toFixed(1)} KiB`,
      `${(input.decoded / 1024).toFixed(1)} KiB`,
      name,
      fmt(snappy[name]!, input.decoded / MB, 0),
      fmt(snappy[name]!, input.samples / 1e6, 1) + " M",
      fmt(full[name]!, input.samples / 1e6, 2) + " M",
    ]);
  }
  summary.push({ input: input.name, ours: median(snappy.ours!), theirs: median(snappy.snappyjs!), oursFull: median(full.ours!), theirsFull: median(full.snappyjs!) });
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((x, c) => x.padEnd(widths[c]!)).join("  "));
console.log("");
for (const s of summary) {
  console.log(`${s.input}: snappyjs decodes at ${((s.theirs / s.ours) * 100).toFixed(0)} % of our speed (${((s.theirsFull / s.oursFull) * 100).toFixed(0)} % with protobuf decoding)`);
}

// ---------------------------------------------------------------------------------------------------------------
// The decoder's fuzz/property cases (remote-write.test.ts), through both decoders

type Outcome = ({ kind: "ok"; out: Uint8Array } | { kind: "threw"; error: string } | { kind: "hung" }) & { ms: number };
function run(d: Decoder, body: Uint8Array, max: number): Outcome {
  const t0 = performance.now();
  try {
    const out = d(body, max);
    return { kind: "ok", out, ms: performance.now() - t0 };
  } catch (e) {
    const error = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    return { kind: "threw", error, ms: performance.now() - t0 };
  }
}

const real = inputs[0]!.body;
const cases: { group: string; mustThrow: boolean; body: Uint8Array; max: number }[] = [];
for (let len = 0; len < real.length; len += len < 64 ? 1 : 97) cases.push({ group: "every truncation of the captured body", mustThrow: true, body: real.subarray(0, len), max: MB });
cases.push({ group: "every truncation of the captured body", mustThrow: true, body: real.subarray(0, real.length - 1), max: MB });
for (const bytes of [
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // preamble longer than 32 bits
  [0xff, 0xff, 0xff, 0xff, 0x7f], // preamble value over 32 bits
  [4, 0x01, 1], // copy before any output
  [8, 0x00, 0x61, 0x01, 0], // copy offset zero
  [5, 0x00, 0x61, 0x01 | (7 << 2), 1], // copy past the declared length
  [5, 4 << 2, 0x61], // literal past the input
  [1, 1 << 2, 0x61, 0x62], // literal past the declared length
  [3, 0x00, 0x61], // output shorter than declared
  [5, 0x00, 0x61, 0x03, 1, 0], // truncated 4-byte copy
  [2, 0x00, 0x61, 0x01], // truncated 1-byte-offset copy
]) {
  cases.push({ group: "malformed streams (test list + truncated 1-byte copy)", mustThrow: true, body: Uint8Array.from(bytes), max: 100 });
}
{
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
  for (let i = 0; i < 300; i++) {
    const body = real.slice();
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
    cases.push({ group: "300 corruptions of the captured body", mustThrow: false, body, max: MB });
  }
  seed = 7;
  const byte = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
  for (let i = 0; i < 500; i++) cases.push({ group: "500 random bodies", mustThrow: false, body: Uint8Array.from({ length: 1 + (i % 200) }, byte), max: MB });
}
const describe = (o: Outcome) => (o.kind === "ok" ? `returned ${o.out.length} bytes` : o.kind === "threw" ? `threw ${o.error}` : "hung");
const bombs = [
  { name: "declared 2^31 - 1, limit 10 MB", body: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x07, 0x00, 0x61) },
  { name: "declared 2^31, limit 10 MB", body: Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x61) },
  { name: "declared 2^32 - 1, limit 10 MB", body: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61) },
];

/** snappyjs in a worker: a case still running after HANG_MS is "hung", and the worker is replaced. */
const HANG_MS = 2000;
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const snappyjs = require(workerData.path);
parentPort.on("message", ({ body, max }) => {
  const t0 = performance.now();
  try {
    const out = snappyjs.uncompress(body, max);
    parentPort.postMessage({ kind: "ok", out, ms: performance.now() - t0 });
  } catch (e) {
    parentPort.postMessage({ kind: "threw", error: e instanceof Error ? e.constructor.name + ": " + e.message : String(e), ms: performance.now() - t0 });
  }
});`;
const snappyjsPath = createRequire(import.meta.url).resolve("snappyjs");
let worker: Worker | undefined;
function runIsolated(body: Uint8Array, max: number): Promise<Outcome> {
  worker ??= new Worker(WORKER, { eval: true, workerData: { path: snappyjsPath } });
  const w = worker;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      w.removeAllListeners("message");
      void w.terminate();
      worker = undefined;
      resolve({ kind: "hung", ms: HANG_MS });
    }, HANG_MS);
    w.once("message", (o: Outcome) => {
      clearTimeout(timer);
      resolve(o);
    });
    w.postMessage({ body, max });
  });
}
const hungInputs: string[] = [];

console.log("\nmalformed input (a case fails when a decoder returns bytes where ours throws, hangs, or anything but an Error escapes)");
const groups = [...new Set(cases.map((c) => c.group))];
for (const group of groups) {
  const mine = cases.filter((c) => c.group === group);
  for (const [name, d] of Object.entries(decoders)) {
    let threw = 0;
    let hung = 0;
    let accepted = 0;
    let wrong = 0; // returned bytes although our (strict) decoder rejects the input, or different bytes
    let slowest = 0;
    const kinds = new Set<string>();
    for (const c of mine) {
      const o = name === "ours" ? run(d, c.body, c.max) : await runIsolated(c.body, c.max);
      const ref = run(decoders.ours!, c.body, c.max);
      slowest = Math.max(slowest, o.ms);
      if (o.kind === "hung") {
        hung++;
        if (hungInputs.length < 3) hungInputs.push(`${Buffer.from(c.body.subarray(0, 16)).toString("hex")}${c.body.length > 16 ? "…" : ""} (${c.body.length} bytes)`);
      } else if (o.kind === "threw") {
        threw++;
        kinds.add(o.error.split(":")[0]!);
      } else {
        accepted++;
        if (ref.kind !== "ok" || Buffer.compare(ref.out, o.out) !== 0 || c.mustThrow) wrong++;
      }
    }
    console.log(
      `  ${group.padEnd(56)} ${name.padEnd(8)} ${String(mine.length).padStart(4)} cases: ${String(threw).padStart(4)} threw (${[...kinds].join(", ") || "-"}), ` +
        `${String(accepted).padStart(3)} returned, ${String(wrong).padStart(3)} returned bytes ours rejects, ${hung} still busy after ${HANG_MS} ms; ` +
        `slowest ${slowest.toFixed(2)} ms`,
    );
  }
}
if (hungInputs.length) console.log(`  snappyjs was still busy on e.g. ${hungInputs.join(", ")}`);
void worker?.terminate();
console.log("\nhuge declared lengths (must be refused before allocating)");
for (const b of bombs) {
  for (const [name, d] of Object.entries(decoders)) {
    const before = process.memoryUsage().arrayBuffers;
    const o = run(d, b.body, 10 * MB);
    const grew = process.memoryUsage().arrayBuffers - before;
    console.log(`  ${b.name.padEnd(32)} ${name.padEnd(8)} ${describe(o)}; array buffers +${(grew / MB).toFixed(1)} MB`);
  }
}
{
  const o = run((body) => snappyjs.uncompress(body), bombs[1]!.body, 0);
  console.log(`  ${"declared 2^31, no limit".padEnd(32)} snappyjs ${describe(o)}`);
}
console.log("\nround trips (copy forms, overlapping copies, long literals)");
{
  const hand = Uint8Array.from([12, 0x04, 0x61, 0x62, ...copy4(2, 10)]);
  const long = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
  const mixed = new TextEncoder().encode("abcabcabcabc" + "x".repeat(300) + "abcdefgh".repeat(50));
  for (const [name, d] of Object.entries(decoders)) {
    const ok =
      new TextDecoder().decode(d(hand, 12)) === "abababababab" &&
      Buffer.compare(d(snappyCompress(long), 5000), long) === 0 &&
      Buffer.compare(d(snappyCompress(mixed), mixed.length), mixed) === 0;
    console.log(`  ${name.padEnd(8)} ${ok ? "ok" : "WRONG"}`);
  }
}
if (sink === -1) console.log(sink); // keeps the decoded lengths observable so no call is optimised away
