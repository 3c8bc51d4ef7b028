// The commands the Agents page shows after a cluster is created: Helm, plain manifests, or a local run.
export { gatewayUrlFor } from "@/lib/agents/protocol";

export type InstallCommands = { helm: string; manifests: string; local: string };

export function installCommands(o: { controlPlaneUrl: string; gatewayUrl: string; bootstrapToken: string }): InstallCommands {
  const url = o.controlPlaneUrl.replace(/\/$/, "");
  return {
    helm: [
      "helm install neuralops-agent deploy/helm/neuralops-agent \\",
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
      "  deploy/manifests/neuralops-agent.yaml | kubectl apply -f -",
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
