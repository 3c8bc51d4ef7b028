// The agent's memory of triggers, persisted in its state directory so a restarted container still knows
// them. It is what keeps a step from running twice: a redelivered trigger (same nonce, same bytes) is
// answered from here, and a nonce whose result the control plane acknowledged is never accepted again.
//
// On disk: an append-only log, one JSON line per change ({"n": nonce, "e": entry | null}), so a change
// costs one small append however many triggers are remembered. It is rewritten compactly (write, then
// rename) at start and whenever it has grown to several times what it describes.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLOCK_SKEW_MS, type Outcome } from "@/lib/agents/protocol";

export type Entry = {
  /** sha256 of the signed payload text: a different trigger reusing the nonce is a replay, not a redelivery. */
  payloadHash: string;
  expiresAt: number;
  state: "running" | "done" | "acked";
  outcome?: Outcome;
};

// Keep nonces well past expiry: a trigger older than that is refused as expired anyway.
const RETAIN_MS = 2 * CLOCK_SKEW_MS + 60 * 60_000;
// Compact when the log holds this many lines per remembered trigger (plus some slack for small journals).
const COMPACT_RATIO = 4;
const COMPACT_SLACK = 1000;

type Line = { n: string; e: Entry | null };

export class Journal {
  private entries = new Map<string, Entry>();
  private lines = 0;

  constructor(private readonly file: string | null) {
    if (!file) return;
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const rows = text.split("\n").filter((l) => l.trim());
    rows.forEach((row, i) => {
      let line: Line;
      try {
        line = JSON.parse(row) as Line;
      } catch (e) {
        // Only the last line can be torn (the process died mid-append); anywhere else the file is damaged,
        // and starting with nonces forgotten could run a replay: refuse.
        if (i === rows.length - 1) return;
        throw new SyntaxError(`${file}: line ${i + 1} is not JSON (${(e as Error).message}); move the file aside to start with an empty journal`);
      }
      if (line.e) this.entries.set(line.n, line.e);
      else this.entries.delete(line.n);
    });
    // A trigger that was running when the process died has an unknown outcome: report that, never rerun it.
    for (const e of this.entries.values())
      if (e.state === "running")
        Object.assign(e, {
          state: "done",
          outcome: { ok: false, exitStatus: 1, summary: "the agent restarted while the action ran", error: "the agent restarted while the action ran; its outcome is unknown, check the target" },
        });
    this.compact();
  }

  static inDir(dir: string): Journal {
    mkdirSync(dir, { recursive: true });
    return new Journal(path.join(dir, "journal.jsonl"));
  }

  get(nonce: string): Entry | undefined {
    return this.entries.get(nonce);
  }

  start(nonce: string, payloadHash: string, expiresAt: number): void {
    this.put(nonce, { payloadHash, expiresAt, state: "running" });
  }

  finish(nonce: string, outcome: Outcome): void {
    const e = this.entries.get(nonce);
    if (e) this.put(nonce, { ...e, state: "done", outcome });
  }

  ack(nonce: string): void {
    const e = this.entries.get(nonce);
    if (!e || e.state !== "done") return;
    const { outcome: _dropped, ...rest } = e;
    this.put(nonce, { ...rest, state: "acked" });
  }

  /** Results the control plane has not acknowledged: sent again after every reconnect. */
  unacknowledged(): { nonce: string; outcome: Outcome }[] {
    return [...this.entries].filter(([, e]) => e.state === "done" && e.outcome).map(([nonce, e]) => ({ nonce, outcome: e.outcome! }));
  }

  running(): number {
    return [...this.entries.values()].filter((e) => e.state === "running").length;
  }

  prune(now = Date.now()): void {
    let changed = false;
    for (const [nonce, e] of this.entries)
      if (e.state !== "running" && e.expiresAt + RETAIN_MS < now) {
        this.entries.delete(nonce);
        changed = true;
      }
    if (changed) this.compact();
  }

  private put(nonce: string, entry: Entry): void {
    this.entries.set(nonce, entry);
    if (!this.file) return;
    appendFileSync(this.file, `${JSON.stringify({ n: nonce, e: entry } satisfies Line)}\n`, { mode: 0o600 });
    if (++this.lines > COMPACT_RATIO * this.entries.size + COMPACT_SLACK) this.compact();
  }

  /** The live entries only, written aside and renamed over the log: a crash leaves one or the other whole. */
  private compact(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, [...this.entries].map(([n, e]) => `${JSON.stringify({ n, e } satisfies Line)}\n`).join(""), { mode: 0o600 });
    renameSync(tmp, this.file);
    this.lines = this.entries.size;
  }
}
