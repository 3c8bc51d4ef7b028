// Where `npm run up` puts the worker's and the agent gateway's /metrics. Fixed ports made two `up`s on
// one machine collide even with different PORTs, so they follow PORT: PORT + 6465 and PORT + 6466, which
// keeps the documented 9465 and 9466 for the default PORT 3000. WORKER_METRICS_PORT and
// AGENT_GATEWAY_METRICS_PORT (0 = off) still win; a derived port that is taken or out of range is
// replaced by a free one (up prints what it chose).
import net from "node:net";

export const WORKER_METRICS_OFFSET = 6465;
export const GATEWAY_METRICS_OFFSET = 6466;

export type MetricsPorts = { worker: number; gateway: number };

export async function metricsPorts(
  port: number,
  env: Record<string, string | undefined>,
  probes: { isFree?: (port: number) => Promise<boolean>; freePort?: () => Promise<number> } = {},
): Promise<MetricsPorts> {
  const isFree = probes.isFree ?? canListen;
  const anyFree = probes.freePort ?? freePort;
  const pick = async (override: string | undefined, derived: number, taken: number[]) => {
    if (override !== undefined && override !== "") return Number(override);
    if (derived >= 1024 && derived <= 65535 && !taken.includes(derived) && (await isFree(derived))) return derived;
    for (;;) {
      const p = await anyFree();
      if (!taken.includes(p)) return p;
    }
  };
  const worker = await pick(env.WORKER_METRICS_PORT, port + WORKER_METRICS_OFFSET, [port]);
  const gateway = await pick(env.AGENT_GATEWAY_METRICS_PORT, port + GATEWAY_METRICS_OFFSET, [port, worker]);
  return { worker, gateway };
}

/** Whether 127.0.0.1:port can be bound now (the metrics servers listen there). */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
