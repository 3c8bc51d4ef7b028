// The trigger journal: states, persistence across restarts, crash recovery, pruning, and the file itself.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLOCK_SKEW_MS, type Outcome } from "@/lib/agents/protocol";
import { Journal } from "./journal";

const OK: Outcome = { ok: true, exitStatus: 0, summary: "restarted shop/api", output: { generation: 7 } };
const FAIL: Outcome = { ok: false, exitStatus: 403, summary: "forbidden", error: "deployments.apps is forbidden" };
const T0 = Date.parse("2025-03-01T12:00:00.000Z");
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);
// The journal keeps nonces this long past expiry (2 × skew + 1 h).
const RETAIN_MS = 2 * CLOCK_SKEW_MS + 3_600_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "neuralops-journal-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const file = () => path.join(dir, "journal.jsonl");
type Stored = { state: string; payloadHash: string; expiresAt: number; outcome?: Outcome };
/** The log folded the way the journal reads it: the last line for a nonce wins, null removes it. */
const onDisk = () => {
  const out: Record<string, Stored> = {};
  for (const line of readFileSync(file(), "utf8").split("\n").filter(Boolean)) {
    const { n, e } = JSON.parse(line) as { n: string; e: Stored | null };
    if (e) out[n] = e;
    else delete out[n];
  }
  return out;
};

describe("Journal lifecycle", () => {
  it("start → running, finish → done and unacknowledged, ack → acked with the outcome dropped", () => {
    const j = Journal.inDir(dir);
    expect(j.get("n1")).toBeUndefined();
    expect(j.unacknowledged()).toEqual([]);

    j.start("n1", HASH_A, T0);
    expect(j.get("n1")).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "running" });
    expect(j.running()).toBe(1);
    // A running trigger has no result to send yet.
    expect(j.unacknowledged()).toEqual([]);

    j.finish("n1", OK);
    expect(j.get("n1")).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "done", outcome: OK });
    expect(j.running()).toBe(0);
    expect(j.unacknowledged()).toEqual([{ nonce: "n1", outcome: OK }]);

    j.ack("n1");
    expect(j.get("n1")).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "acked" });
    expect(j.get("n1")).not.toHaveProperty("outcome");
    expect(j.unacknowledged()).toEqual([]);
  });

  it("lists only the unacknowledged results among several triggers", () => {
    const j = Journal.inDir(dir);
    j.start("a", HASH_A, T0);
    j.start("b", HASH_B, T0);
    j.start("c", HASH_A, T0);
    j.finish("a", OK);
    j.finish("b", FAIL);
    j.ack("a");
    expect(j.unacknowledged()).toEqual([{ nonce: "b", outcome: FAIL }]);
    expect(j.running()).toBe(1);
  });

  it("ignores an ack for an unknown or still-running nonce, and a finish for an unknown one", () => {
    const j = Journal.inDir(dir);
    j.ack("nobody");
    j.finish("nobody", OK);
    expect(j.get("nobody")).toBeUndefined();
    j.start("r", HASH_A, T0);
    j.ack("r");
    expect(j.get("r")?.state).toBe("running");
    // A second ack of an acked entry changes nothing.
    j.finish("r", OK);
    j.ack("r");
    j.ack("r");
    expect(j.get("r")).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "acked" });
  });

  it("an in-memory journal (no file) works the same and writes nothing", () => {
    const j = new Journal(null);
    j.start("m", HASH_A, T0);
    j.finish("m", OK);
    expect(j.unacknowledged()).toEqual([{ nonce: "m", outcome: OK }]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("Journal persistence", () => {
  it("a new Journal on the same directory sees every entry and its state", () => {
    const j = Journal.inDir(dir);
    j.start("done-1", HASH_A, T0);
    j.finish("done-1", FAIL);
    j.start("acked-1", HASH_B, T0 + 1);
    j.finish("acked-1", OK);
    j.ack("acked-1");

    const again = Journal.inDir(dir);
    expect(again.get("done-1")).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "done", outcome: FAIL });
    expect(again.get("acked-1")).toEqual({ payloadHash: HASH_B, expiresAt: T0 + 1, state: "acked" });
    expect(again.unacknowledged()).toEqual([{ nonce: "done-1", outcome: FAIL }]);
  });

  it("every change is on disk at once (no explicit flush)", () => {
    const j = Journal.inDir(dir);
    j.start("n", HASH_A, T0);
    expect(onDisk().n?.state).toBe("running");
    j.finish("n", OK);
    expect(onDisk().n).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "done", outcome: OK });
    j.ack("n");
    expect(onDisk().n).toEqual({ payloadHash: HASH_A, expiresAt: T0, state: "acked" });
  });

  it("a trigger left running when the process died is done with a failed 'agent restarted' outcome, and never runs again", () => {
    const before = Journal.inDir(dir);
    before.start("crashed", HASH_A, T0);
    before.start("finished", HASH_B, T0);
    before.finish("finished", OK);
    // The process dies here: no finish for "crashed".

    const after = Journal.inDir(dir);
    const e = after.get("crashed");
    expect(e?.state).toBe("done");
    expect(e?.payloadHash).toBe(HASH_A);
    expect(e?.outcome?.ok).toBe(false);
    expect(e?.outcome?.exitStatus).toBe(1);
    expect(e?.outcome?.summary).toMatch(/agent restarted/);
    expect(e?.outcome?.error).toMatch(/agent restarted/);
    expect(after.running()).toBe(0);
    // The untouched entry keeps its real outcome.
    expect(after.get("finished")?.outcome).toEqual(OK);
    // The failure is reported on the next welcome, with the other unacknowledged result.
    expect(after.unacknowledged().map((u) => u.nonce).sort()).toEqual(["crashed", "finished"]);
    // The recovery is itself persisted: a third start still sees done, not running.
    expect(onDisk().crashed?.state).toBe("done");
    expect(Journal.inDir(dir).get("crashed")?.outcome?.ok).toBe(false);
  });

  it("starts empty when there is no file yet, and creates the directory", () => {
    const nested = path.join(dir, "a", "b");
    const j = Journal.inDir(nested);
    expect(j.running()).toBe(0);
    expect(j.unacknowledged()).toEqual([]);
    expect(existsSync(path.join(nested, "journal.jsonl"))).toBe(true);
  });

  it("refuses to start on a journal damaged before its last line rather than silently forgetting nonces", () => {
    writeFileSync(file(), `{ half a li\n${JSON.stringify({ n: "x", e: { payloadHash: HASH_A, expiresAt: T0, state: "acked" } })}\n`);
    expect(() => Journal.inDir(dir)).toThrow(/line 1 is not JSON/);
  });

  it("ignores a torn last line (the process died mid-append) and keeps everything before it", () => {
    writeFileSync(file(), `${JSON.stringify({ n: "x", e: { payloadHash: HASH_A, expiresAt: T0, state: "acked" } })}\n{"n":"y","e":{"payloadHa`);
    const j = Journal.inDir(dir);
    expect(j.get("x")?.state).toBe("acked");
    expect(j.get("y")).toBeUndefined();
    expect(Object.keys(onDisk())).toEqual(["x"]);
  });

  it("appends one line per change and compacts the log when it has grown well past what it holds", () => {
    const j = Journal.inDir(dir);
    j.start("n", HASH_A, T0);
    j.finish("n", OK);
    expect(readFileSync(file(), "utf8").trim().split("\n")).toHaveLength(2);
    for (let i = 0; i < 1500; i++) {
      j.finish("n", OK);
      j.ack("n");
    }
    // 3,000 changes to one trigger: compaction kept the file short, and it still says what the journal knows.
    expect(readFileSync(file(), "utf8").trim().split("\n").length).toBeLessThan(1100);
    expect(onDisk()).toEqual({ n: { payloadHash: HASH_A, expiresAt: T0, state: "acked" } });
  });
});

describe("Journal.prune", () => {
  it("removes entries past expiry + retention that are not running, keeps the rest", () => {
    const j = Journal.inDir(dir);
    const now = T0 + RETAIN_MS + 10_000;
    j.start("old-acked", HASH_A, T0);
    j.finish("old-acked", OK);
    j.ack("old-acked");
    j.start("old-done", HASH_A, T0);
    j.finish("old-done", OK);
    j.start("old-running", HASH_A, T0);
    j.start("recent-acked", HASH_A, now - RETAIN_MS + 1_000);
    j.finish("recent-acked", OK);
    j.ack("recent-acked");

    j.prune(now);
    expect(j.get("old-acked")).toBeUndefined();
    expect(j.get("old-done")).toBeUndefined();
    expect(j.get("old-running")?.state).toBe("running");
    expect(j.get("recent-acked")?.state).toBe("acked");
    // And on disk.
    expect(Object.keys(onDisk()).sort()).toEqual(["old-running", "recent-acked"]);
  });

  it("keeps an entry exactly at the retention boundary, drops it one millisecond later", () => {
    const j = Journal.inDir(dir);
    j.start("edge", HASH_A, T0);
    j.finish("edge", OK);
    j.prune(T0 + RETAIN_MS);
    expect(j.get("edge")).toBeDefined();
    j.prune(T0 + RETAIN_MS + 1);
    expect(j.get("edge")).toBeUndefined();
  });

  it("retains a nonce longer than any trigger can be accepted (so a replay is never mistaken for new)", () => {
    // A trigger is accepted until expiresAt + skew; the journal must remember it at least that long.
    const j = Journal.inDir(dir);
    j.start("n", HASH_A, T0);
    j.finish("n", OK);
    j.ack("n");
    j.prune(T0 + CLOCK_SKEW_MS + 1);
    expect(j.get("n")?.state).toBe("acked");
  });
});

describe("Journal file", () => {
  it("is written with mode 0600 and leaves no .tmp file behind", () => {
    const j = Journal.inDir(dir);
    j.start("n", HASH_A, T0);
    j.finish("n", OK);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["journal.jsonl"]);
    expect(existsSync(`${file()}.tmp`)).toBe(false);
  });

  it("replaces a pre-existing world-readable journal with a 0600 one", () => {
    writeFileSync(file(), `${JSON.stringify({ n: "x", e: { payloadHash: HASH_A, expiresAt: T0, state: "acked" } })}\n`, { mode: 0o644 });
    const j = Journal.inDir(dir);
    expect(j.get("x")?.state).toBe("acked");
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["journal.jsonl"]);
  });
});
