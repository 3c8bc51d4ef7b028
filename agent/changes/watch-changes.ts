// The agent's change watch: Deployments and ConfigMaps in the namespaces it is given (every namespace it
// may read when none), each through a list-then-watch loop, differences reported to the control plane.
import type { KubeConfig } from "@kubernetes/client-node";
import { ChangeDetector, type KubeObject, type Resource } from "./detect";
import { ListWatch } from "./list-watch";
import { ChangeReporter } from "./reporter";

export const RESOURCES: Resource[] = ["deployments", "configmaps"];
// Cluster plumbing rewrites ConfigMaps here all the time (autoscaler status, leader records): watched only
// when named in the namespace list.
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

export type ChangeWatchOptions = {
  kc: KubeConfig;
  namespaces: readonly string[];
  controlPlaneUrl: string;
  ingestToken: string;
  log: (line: string) => void;
  backoff: { minMs: number; maxMs: number };
  timeoutSeconds?: number;
  flushMs?: number;
};

export function startChangeWatch(o: ChangeWatchOptions): { stop(): Promise<void> } {
  const detector = new ChangeDetector();
  const reporter = new ChangeReporter({ controlPlaneUrl: o.controlPlaneUrl, ingestToken: o.ingestToken, log: o.log, backoff: o.backoff, flushMs: o.flushMs });
  const wanted = (resource: Resource, obj: KubeObject) => !(resource === "configmaps" && o.namespaces.length === 0 && SYSTEM_NAMESPACES.has(obj.metadata?.namespace ?? ""));
  const scopes: (string | undefined)[] = o.namespaces.length ? [...o.namespaces] : [undefined];
  const watches = RESOURCES.flatMap((resource) =>
    scopes.map(
      (namespace) =>
        new ListWatch({
          kc: o.kc,
          resource,
          namespace,
          log: o.log,
          backoff: o.backoff,
          timeoutSeconds: o.timeoutSeconds,
          onList: (items, relist) => reporter.add(detector.sync(resource, items.filter((i) => wanted(resource, i)), { report: relist, now: new Date(), namespace })),
          onEvent: (type, obj) => {
            if (wanted(resource, obj)) reporter.add(detector.event(resource, type, obj, new Date()));
          },
        }),
    ),
  );
  reporter.start();
  for (const w of watches) w.start();
  return {
    async stop() {
      await Promise.all(watches.map((w) => w.stop()));
      await reporter.stop();
    },
  };
}
