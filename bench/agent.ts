// `npm run bench:agent -- [--triggers 300] [--concurrency 8]`
// The cost of going through the agent: a real agent process, the gateway in this process, a throwaway
// database and Redis prefix, and the recording Kubernetes API stand-in (test/fake-kube-api.ts).
//  baseline  the same k8s.scale PATCH sent straight from this process with @kubernetes/client-node;
//  1. round trip, one at a time: issueTrigger (sign + insert + publish) → gateway → WebSocket → agent
//     (verify, journal, PATCH) → result → database → awaitTrigger wakes up;
//  2. throughput: `concurrency` triggers in flight at once.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { throwawayEnvironment } from "../test/services";
import { pct } from "./percentile";

const { values } = parseArgs({ options: { triggers: { type: "string", default: "300" }, concurrency: { type: "string", default: "8" } } });
const N = Number(values.triggers);
const CONCURRENCY = Number(values.concurrency);

const { id, drop } = await throwawayEnvironment();
process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef";

const { db } = await import("../lib/db");
const { closeRedis } = await import("../lib/redis");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { makeActor } = await import("../test/factories");
const { createCluster } = await import("../lib/agents/clusters");
const { startAgentGateway } = await import("../lib/agents/gateway");
const { issueTrigger, awaitTrigger, closeOutcomeSubscriber } = await import("../lib/agents/triggers");
const { AGENT_CONNECT_PATH } = await import("../lib/agents/protocol");
const { startFakeKubeApi } = await import("../test/fake-kube-api");
const { startAgentProcess } = await import("../test/agent-process");
const { enrollAgent } = await import("../lib/agents/enroll");
const { kubeConfigFor } = await import("../agent/kube/client");
const { runKubeAction } = await import("../agent/kube/actions");

const ms = (xs: number[], p: number) => pct(xs, p).toFixed(1);
const summary = (xs: number[]) => `p50 ${ms(xs, 50)} ms, p90 ${ms(xs, 90)} ms, p99 ${ms(xs, 99)} ms`;

const kube = await startFakeKubeApi();
kube.addDeployment("bench", "web", 1);
const gateway = await startAgentGateway({ log: () => {} });
// Enrollment only (the route handler imports `server-only`, which refuses to load outside Next).
const app = createServer(async (req, res) => {
  let body = "";
  for await (const c of req) body += c;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(await enrollAgent(JSON.parse(body))));
});
await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
const org = await ensureOrg({ slug: `bench-${id}`, name: "bench" });
const admin = await makeActor(org.id, "admin");
const { cluster, bootstrapToken } = await createCluster({ actor: admin, input: { name: "bench" } });
const agent = startAgentProcess({ controlPlaneUrl: appUrl, gatewayUrl: `ws://127.0.0.1:${gateway.port}${AGENT_CONNECT_PATH}`, kubeApiUrl: kube.url, bootstrapToken, allowlist: ["k8s.scale"] });

try {
  await agent.waitFor(/connected to ws:/);
  const params = (i: number) => ({ namespace: "bench", deployment: "web", replicas: 1 + (i % 5) });
  const trigger = (i: number) =>
    issueTrigger({ orgId: org.id, clusterId: cluster.id, runId: null, stepId: null, attempt: null, playbookDigest: null, mode: "execute", action: "k8s.scale", params: params(i) });

  // Warm-up: connections, prepared statements, JIT.
  for (let i = 0; i < 20; i++) await awaitTrigger((await trigger(i)).id);

  const kc = kubeConfigFor({ apiUrl: kube.url });
  const direct: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const out = await runKubeAction(kc, { action: "k8s.scale", params: params(i), dryRun: false });
    direct.push(performance.now() - t0);
    if (!out.ok) throw new Error(out.error);
  }

  const roundTrip: number[] = [];
  const parts = { toSent: [] as number[], toAccepted: [] as number[], toResult: [] as number[], toWaiter: [] as number[] };
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const wall0 = Date.now();
    const done = await awaitTrigger((await trigger(i)).id);
    roundTrip.push(performance.now() - t0);
    if (done.status !== "succeeded") throw new Error(`trigger ${done.id} ${done.status}`);
    // Where the time goes, from the timestamps the gateway stored (one clock: same machine).
    parts.toSent.push(done.sentAt!.getTime() - wall0);
    parts.toAccepted.push(done.acceptedAt!.getTime() - done.sentAt!.getTime());
    parts.toResult.push(done.finishedAt!.getTime() - done.acceptedAt!.getTime());
    parts.toWaiter.push(Date.now() - done.finishedAt!.getTime());
  }

  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const done = await awaitTrigger((await trigger(next++)).id);
        if (done.status !== "succeeded") throw new Error(`trigger ${done.id} ${done.status}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;

  console.log(`baseline, PATCH straight to the API (${N}): ${summary(direct)}`);
  console.log(`signed trigger round trip through gateway + agent (${N}, one at a time): ${summary(roundTrip)}`);
  console.log(
    `  p50 of the parts: issue → sent ${ms(parts.toSent, 50)} ms, sent → accepted ${ms(parts.toAccepted, 50)} ms, accepted → result stored ${ms(parts.toResult, 50)} ms, stored → waiter has it ${ms(parts.toWaiter, 50)} ms`,
  );
  console.log(`throughput, ${CONCURRENCY} in flight: ${(N / seconds).toFixed(0)} triggers/s`);
} finally {
  await agent.stop();
  await gateway.close();
  await kube.close();
  app.close();
  await closeOutcomeSubscriber();
  await db.$disconnect();
  await closeRedis();
  await drop();
}
