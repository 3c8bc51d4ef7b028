import { describe, expect, it } from "vitest";
import net from "node:net";
import { canListen, metricsPorts } from "@/lib/metrics/metrics-ports";

const allFree = { isFree: async () => true, freePort: async () => 45678 };

describe("metricsPorts", () => {
  it("keeps 9465/9466 for the default PORT and follows any other PORT, so two `up`s do not collide", async () => {
    expect(await metricsPorts(3000, {}, allFree)).toEqual({ worker: 9465, gateway: 9466 });
    const a = await metricsPorts(3000, {}, allFree);
    const b = await metricsPorts(4000, {}, allFree);
    expect(b).toEqual({ worker: 10465, gateway: 10466 });
    expect(new Set([a.worker, a.gateway, b.worker, b.gateway]).size).toBe(4);
  });

  it("the environment wins, 0 included (metrics off)", async () => {
    expect(await metricsPorts(4000, { WORKER_METRICS_PORT: "9100", AGENT_GATEWAY_METRICS_PORT: "0" }, allFree)).toEqual({ worker: 9100, gateway: 0 });
  });

  it("a derived port that is taken or out of range becomes a free one", async () => {
    let next = 40000;
    const probes = { isFree: async (p: number) => p !== 9465, freePort: async () => next++ };
    expect(await metricsPorts(3000, {}, probes)).toEqual({ worker: 40000, gateway: 9466 });
    expect(await metricsPorts(60000, {}, probes)).toEqual({ worker: 40001, gateway: 40002 });
  });

  it("canListen sees a port in use", async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const { port } = srv.address() as net.AddressInfo;
    expect(await canListen(port)).toBe(false);
    await new Promise((r) => srv.close(r));
    expect(await canListen(port)).toBe(true);
  });
});
