// The commands the Agents page shows after a cluster is created: Helm, plain manifests, or a local run.
export { gatewayUrlFor } from "@/lib/agents/protocol";

export type InstallCommands = { helm: string; manifests: string; local: string };

/** The published chart (release: `helm package deploy/helm/neuralops-agent` then `helm push` it here). */
export const DEFAULT_AGENT_CHART = "oci://ghcr.io/neuralops/charts/neuralops-agent";
/** Kept equal to deploy/helm/neuralops-agent/Chart.yaml's version (install.test.ts checks it). */
export const AGENT_CHART_VERSION = "0.1.0";
const MANIFESTS_PATH = "deploy/manifests/neuralops-agent.yaml";

/**
 * The URL the agent dials back to: NEURALOPS_PUBLIC_URL (what users browse to), else NEXTAUTH_URL, else the
 * origin the browser reached us at. Never a loopback default: the agent runs in another machine's cluster.
 */
export function controlPlaneUrlFrom(o: { publicUrl?: string; nextauthUrl?: string; requestOrigin: string }): string {
  return (o.publicUrl ?? o.nextauthUrl ?? o.requestOrigin).replace(/\/$/, "");
}

export function installCommands(o: { controlPlaneUrl: string; gatewayUrl: string; bootstrapToken: string; chart?: string; manifestsUrl?: string }): InstallCommands {
  const url = o.controlPlaneUrl.replace(/\/$/, "");
  const chart = o.chart ?? DEFAULT_AGENT_CHART;
  // A .tgz URL names its version itself; a repository or OCI reference needs --version to be reproducible.
  const version = /\.tgz$/.test(chart) ? [] : [`  --version ${AGENT_CHART_VERSION} \\`];
  const manifestsSource = o.manifestsUrl ? `<(curl -fsSL ${o.manifestsUrl})` : MANIFESTS_PATH;
  return {
    helm: [
      `helm install neuralops-agent ${chart} \\`,
      ...version,
      "  --namespace neuralops --create-namespace \\",
      `  --set controlPlaneUrl=${url} \\`,
      `  --set gatewayUrl=${o.gatewayUrl} \\`,
      `  --set bootstrapToken=${o.bootstrapToken}`,
    ].join("\n"),
    // The manifests carry the Secret with a placeholder token: substitute it, never create the Secret
    // separately (applying the manifests afterwards would overwrite it with the placeholder). The relay secret
    // is generated here, once, into both of its Secrets (the agent's and Prometheus').
    manifests: [
      "sed \\",
      `  -e 's|REPLACE_WITH_BOOTSTRAP_TOKEN|${o.bootstrapToken}|' \\`,
      `  -e 's|https://neuralops.example.com|${url}|' \\`,
      '  -e "s|REPLACE_WITH_RELAY_SECRET|$(openssl rand -hex 32)|g" \\',
      `  ${manifestsSource} | kubectl apply -f -`,
      `kubectl -n neuralops set env deployment/neuralops-agent NEURALOPS_GATEWAY_URL=${o.gatewayUrl}`,
    ].join("\n"),
    local: [
      `NEURALOPS_URL=${url} NEURALOPS_GATEWAY_URL=${o.gatewayUrl} \\`,
      `NEURALOPS_BOOTSTRAP_TOKEN=${o.bootstrapToken} NEURALOPS_IDENTITY=file:.data/agent-identity.json \\`,
      "NEURALOPS_ALLOWLIST_FILE=deploy/allowlist.example.yaml NEURALOPS_STATE_DIR=.data/agent-state KUBECONFIG=$HOME/.kube/config \\",
      "npm run agent",
    ].join("\n"),
  };
}
