// The agent's memory of triggers, persisted in its state directory so a restarted container still knows
// them. It is what keeps a step from running twice: a redelivered trigger (same nonce, same bytes) is
// answered from here, and a nonce whose result the control plane acknowledged is never accepted again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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

export class Journal {
  private entries = new Map<string, Entry>();

  constructor(private readonly file: string | null) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, Entry>;
      for (const [nonce, e] of Object.entries(saved)) this.entries.set(nonce, e);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    // A trigger that was running when the process died has an unknown outcome: report that, never rerun it.
    for (const e of this.entries.values())
      if (e.state === "running")
        Object.assign(e, {
          state: "done",
          outcome: { ok: false, exitStatus: 1, summary: "the agent restarted while the action ran", error: "the agent restarted while the action ran; its outcome is unknown, check the target" },
        });
    this.save();
  }

  static inDir(dir: string): Journal {
    mkdirSync(dir, { recursive: true });
    return new Journal(path.join(dir, "journal.json"));
  }

  get(nonce: string): Entry | undefined {
    return this.entries.get(nonce);
  }

  start(nonce: string, payloadHash: string, expiresAt: number): void {
    this.entries.set(nonce, { payloadHash, expiresAt, state: "running" });
    this.save();
  }

  finish(nonce: string, outcome: Outcome): void {
    const e = this.entries.get(nonce);
    if (!e) return;
    Object.assign(e, { state: "done", outcome });
    this.save();
  }

  ack(nonce: string): void {
    const e = this.entries.get(nonce);
    if (!e || e.state !== "done") return;
    e.state = "acked";
    delete e.outcome;
    this.save();
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
    if (changed) this.save();
  }

  private save(): void {
    if (!this.file) return;
    // Write-then-rename: a crash mid-write leaves the previous journal, never half of one.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.entries)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
