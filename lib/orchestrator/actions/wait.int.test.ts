// The wait action: plans and aborts.
import { describe, expect, it } from "vitest";
import { waitAction } from "./wait";
import { execCtx, expectRetryable, failure, plan, run } from "./actions.testing";

describe("wait", () => {
  it("plans and accepts strings or seconds", async () => {
    expect((await plan(waitAction, { duration: "30s" })).summary).toBe("wait 30s");
    expect((await plan(waitAction, { duration: 300 })).summary).toBe("wait 5m");
    expect(waitAction.schema.safeParse({ duration: "soon" }).success).toBe(false);
    await expect(run(waitAction, { duration: "0s" })).resolves.toMatchObject({ output: { waitedMs: 0 } });
  });

  it("throws when ctx.signal aborts", async () => {
    const controller = new AbortController();
    const pending = failure(run(waitAction, { duration: "1h" }, execCtx({ signal: controller.signal })));
    controller.abort();
    const e = await pending;
    expectRetryable(e);
    expect(e.message).toContain("aborted");
    await expect(run(waitAction, { duration: "1h" }, execCtx({ signal: AbortSignal.abort() }))).rejects.toThrow(/aborted/);
  });
});
