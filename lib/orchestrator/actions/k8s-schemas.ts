// The parameters of each Kubernetes action. Its own module, importing only zod: the in-cluster agent
// validates with the same schemas and must not bundle the orchestrator (database, queue) with them.
import { z } from "zod";
import type { K8sActionName } from "@/lib/playbooks/action-names";

// DNS-1123 subdomain: deployments, pods, nodes.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// DNS-1123 label: namespaces and containers (Kubernetes rejects dots there).
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const name = (what: string) => z.string().max(253).regex(SUBDOMAIN, `${what} must be a DNS-1123 name (lowercase letters, digits, '-' and '.')`);
const label = (what: string) => z.string().max(63).regex(LABEL, `${what} must be a DNS-1123 label (lowercase letters, digits and '-')`);
// The agent's id for one of the org's clusters; omitted when the org has a single cluster.
const cluster = z.string().min(1).max(200).optional();

export const K8S_SCHEMAS = {
  "k8s.rollout_restart": z.object({ cluster, namespace: label("namespace"), deployment: name("deployment") }).strict(),
  "k8s.scale": z.object({ cluster, namespace: label("namespace"), deployment: name("deployment"), replicas: z.number().int().min(0).max(1000) }).strict(),
  "k8s.delete_pod": z.object({ cluster, namespace: label("namespace"), pod: name("pod") }).strict(),
  "k8s.cordon": z.object({ cluster, node: name("node") }).strict(),
  "k8s.logs": z
    .object({ cluster, namespace: label("namespace"), pod: name("pod"), container: label("container").optional(), tailLines: z.number().int().min(1).max(5000).default(200) })
    .strict(),
  "k8s.events": z.object({ cluster, namespace: label("namespace"), fieldSelector: z.string().min(1).max(1000).optional() }).strict(),
} satisfies { [N in K8sActionName]: z.ZodType };

