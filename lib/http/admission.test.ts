import { describe, expect, it } from "vitest";
import { Admission } from "@/lib/http/admission";
import { AppError } from "@/lib/errors";

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);

describe("Admission", () => {
  it("runs up to maxInflight, queues up to maxQueued, refuses the rest at once with 503 overloaded + Retry-After", async () => {
    const gate = new Admission(() => ({ maxInflight: 2, maxQueued: 1, queueTimeoutMs: 10_000 }));
    const a = await gate.acquire();
    await gate.acquire();
    const queued = gate.acquire();
    expect(gate.queued).toBe(1);
    const refused = await refusal(gate.acquire());
    expect(refused).toBeInstanceOf(AppError);
    expect(refused!.status).toBe(503);
    expect(refused!.code).toBe("overloaded");
    expect(refused!.details).toEqual({ retryAfterSeconds: 1 });
    // A release hands the slot to the waiter: still two in flight, none waiting.
    a();
    await queued;
    expect(gate.inflight).toBe(2);
    expect(gate.queued).toBe(0);
  });

  it("a waiter that gets no slot within queueTimeoutMs is refused and leaves the queue", async () => {
    const gate = new Admission(() => ({ maxInflight: 1, maxQueued: 5, queueTimeoutMs: 30 }));
    const release = await gate.acquire();
    const refused = await refusal(gate.acquire());
    expect(refused!.code).toBe("overloaded");
    expect(gate.queued).toBe(0);
    release();
    expect(gate.inflight).toBe(0);
    // Releasing twice does not free a slot twice.
    release();
    expect(gate.inflight).toBe(0);
    const again = await gate.acquire();
    expect(gate.inflight).toBe(1);
    again();
  });
});
