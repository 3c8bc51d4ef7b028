import { describe, expect, it } from "vitest";
import { currentRequestId, withLogContext } from "@/lib/log";

describe("log context", () => {
  it("carries the request id across awaits, nests, and is gone outside", async () => {
    expect(currentRequestId()).toBeUndefined();
    await withLogContext({ requestId: "req-1" }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      expect(currentRequestId()).toBe("req-1");
      await withLogContext({ jobId: "7" }, async () => expect(currentRequestId()).toBe("req-1"));
      await withLogContext({ requestId: "req-2" }, async () => expect(currentRequestId()).toBe("req-2"));
    });
    expect(currentRequestId()).toBeUndefined();
  });
});
