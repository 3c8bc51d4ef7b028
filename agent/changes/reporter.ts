// Sends change events to the control plane (POST /api/v1/changes, the agent's ingest token), in batches.
// Each event carries its own id, so a batch sent twice (a timeout after the server stored it) is stored
// once. The queue is in memory and bounded: the agent's job is to act, and an unreachable control plane
// must not grow it without end.
import { setTimeout as sleep } from "node:timers/promises";
import { backoffMs } from "../connection";
import type { ChangeEvent } from "./detect";

export type ReporterOptions = {
  controlPlaneUrl: string;
  ingestToken: string;
  log: (line: string) => void;
  backoff: { minMs: number; maxMs: number };
  /** How long events wait to be sent with others. */
  flushMs?: number;
  batchMax?: number;
  queueMax?: number;
};

export class ChangeReporter {
  private queue: ChangeEvent[] = [];
  private stopped = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private dropped = 0;
  private readonly stopSignal = new AbortController();

  constructor(private readonly o: ReporterOptions) {}

  add(events: ChangeEvent[]): void {
    if (!events.length) return;
    this.queue.push(...events);
    const max = this.o.queueMax ?? 5000;
    if (this.queue.length > max) {
      this.dropped += this.queue.length - max;
      this.queue.splice(0, this.queue.length - max);
      this.o.log(`changes: the control plane is not taking them; ${this.dropped} oldest dropped so far`);
    }
    this.wake?.();
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops after one last attempt to send what is queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (;;) {
      if (!this.queue.length) {
        if (this.stopped) return;
        await new Promise<void>((r) => (this.wake = r));
        this.wake = null;
        // Gather what arrives together into one request.
        if (!this.stopped) await sleep(this.o.flushMs ?? 1000, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
        continue;
      }
      const batch = this.queue.slice(0, this.o.batchMax ?? 100);
      const verdict = await this.send(batch);
      if (verdict === "retry") {
        if (this.stopped) return;
        failures += 1;
        await sleep(backoffMs(failures, this.o.backoff), undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
        continue;
      }
      failures = 0;
      this.queue.splice(0, batch.length);
    }
  }

  /** "done" also for a batch the server refuses as invalid: sending it again cannot succeed. */
  private async send(batch: ChangeEvent[]): Promise<"done" | "retry"> {
    try {
      const res = await fetch(`${this.o.controlPlaneUrl}/api/v1/changes`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.o.ingestToken}` },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.ok) {
        const created = (JSON.parse(text) as { changes?: { deduplicated: boolean }[] }).changes?.filter((c) => !c.deduplicated).length ?? 0;
        this.o.log(`changes: reported ${batch.length} (${created} new): ${batch.map((c) => c.title).slice(0, 3).join("; ")}${batch.length > 3 ? "; …" : ""}`);
        return "done";
      }
      if (res.status === 429 || res.status >= 500) {
        this.o.log(`changes: the control plane answered ${res.status}; will retry`);
        return "retry";
      }
      const message = (() => {
        try {
          return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
        } catch {
          return text;
        }
      })();
      this.o.log(`changes: the control plane refused ${batch.length} (${res.status}): ${message.slice(0, 500)}`);
      return "done";
    } catch (e) {
      this.o.log(`changes: control plane unreachable: ${(e as Error).message}; will retry`);
      return "retry";
    }
  }
}
