// The NeuralOps agent: runs in the customer's cluster, dials out to the control plane, and acts only on
// signed, fresh, allow-listed triggers. Configuration: agent/config.ts; deployment: deploy/.
import { setTimeout as sleep } from "node:timers/promises";
import type { TriggerPayload } from "@/lib/agents/protocol";
import { AGENT_VERSION, loadConfig } from "./config";
import { AgentConnection, backoffMs } from "./connection";
import { ensureIdentity, EnrollmentError } from "./enroll";
import { Journal } from "./journal";
import { kubeConfigFor } from "./kube/client";
import { runKubeAction } from "./kube/actions";
import { fileIdentityStore, secretIdentityStore, type IdentityStore } from "./kube/identity-secret";
import { queryRange } from "./prometheus";
import { startRelay } from "./relay";
import { startChangeWatch } from "./changes/watch-changes";

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main() {
  const cfg = loadConfig();
  const kc = kubeConfigFor(cfg.kube);
  const store: IdentityStore = cfg.identity.kind === "secret" ? secretIdentityStore(kc, cfg.identity.namespace, cfg.identity.name) : fileIdentityStore(cfg.identity.path);
  log(`neuralops-agent ${AGENT_VERSION}; allowlist: ${[...cfg.allowlist].join(", ") || "(empty: every trigger will be rejected)"}`);

  let identity;
  for (let attempt = 0; !identity; attempt++) {
    try {
      identity = await ensureIdentity(store, { controlPlaneUrl: cfg.controlPlaneUrl, bootstrapToken: cfg.bootstrapToken, version: AGENT_VERSION });
    } catch (e) {
      if (e instanceof EnrollmentError && e.permanent) throw e;
      const delay = backoffMs(attempt, cfg.reconnect);
      log(`enrollment: ${(e as Error).message}; retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
  log(`cluster ${identity.clusterId}`);

  const perform = async (p: TriggerPayload) => {
    const dryRun = p.mode === "dryRun";
    if (p.action === "prometheus.query_range") return queryRange(cfg.prometheusUrl, p.params, dryRun);
    const { idempotencyKey, ...params } = p.params;
    return runKubeAction(kc, { action: p.action, params, dryRun, idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : undefined });
  };
  const connection = new AgentConnection({
    url: cfg.gatewayUrl,
    identity,
    allowlist: cfg.allowlist,
    journal: Journal.inDir(cfg.stateDir),
    version: AGENT_VERSION,
    perform,
    reconnect: cfg.reconnect,
    log,
  });
  connection.start();
  const relay = await startRelay({
    ...cfg.listen,
    controlPlaneUrl: cfg.controlPlaneUrl,
    ingestToken: identity.ingestToken,
    relaySecretFile: cfg.relaySecretFile,
    maxWriteBytes: cfg.maxWriteBytes,
    ready: () => connection.connected,
    log,
  });
  log(`listening on ${cfg.listen.host}:${relay.port} (health, remote_write relay)`);

  const changeWatch = cfg.changes.enabled
    ? startChangeWatch({ kc, namespaces: cfg.changes.namespaces, controlPlaneUrl: cfg.controlPlaneUrl, ingestToken: identity.ingestToken, log, backoff: cfg.reconnect })
    : null;
  log(`change watch: ${changeWatch ? `deployments and configmaps in ${cfg.changes.namespaces.join(", ") || "every namespace"}` : "off (NEURALOPS_WATCH_CHANGES=false)"}`);

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await changeWatch?.stop();
    await connection.stop();
    relay.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((e) => {
  console.error(`neuralops-agent: ${(e as Error).message}`);
  process.exit(1);
});
