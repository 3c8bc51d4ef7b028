// Entry point of the agent gateway process: `node --import tsx workers/agent-gateway.ts`. Holds the
// agents' WebSockets (lib/agents/gateway.ts); started next to the web app and the workers by `npm run up`.
import { env } from "@/lib/env";
import { startAgentGateway } from "@/lib/agents/gateway";
import { closeRedis } from "@/lib/redis";
import { db } from "@/lib/db";
import { startMetricsServer } from "@/workers/metrics-server";
import { log, setLogService } from "@/lib/log";

setLogService("gateway");

const e = env();
const gateway = await startAgentGateway({ host: e.AGENT_GATEWAY_HOST, port: e.AGENT_GATEWAY_PORT, maxConnPerIp: e.AGENT_GATEWAY_MAX_CONN_PER_IP, trustProxy: e.AGENT_GATEWAY_TRUST_PROXY });
// /metrics on a private port: the gateway's own port faces the agents (the internet).
const metricsServer = e.AGENT_GATEWAY_METRICS_PORT ? await startMetricsServer(e.AGENT_GATEWAY_METRICS_PORT, e.METRICS_HOST) : null;

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log("info", "gateway stopping", { signal });
  await gateway.close();
  metricsServer?.close();
  await closeRedis();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
