// Which Kubernetes API the agent talks to: the in-cluster service account, a kubeconfig file, or (tests) a
// plain-HTTP stand-in without any credentials.
import { KubeConfig } from "@kubernetes/client-node";

export function kubeConfigFor(cfg: { kubeconfig?: string; apiUrl?: string }): KubeConfig {
  const kc = new KubeConfig();
  if (cfg.apiUrl) {
    // client-node refuses an http:// server unless skipTLSVerify is set, even though there is no TLS to verify.
    kc.loadFromClusterAndUser({ name: "local", server: cfg.apiUrl.replace(/\/$/, ""), skipTLSVerify: true }, { name: "anonymous" });
  } else if (cfg.kubeconfig) {
    kc.loadFromFile(cfg.kubeconfig);
  } else {
    kc.loadFromCluster();
  }
  return kc;
}
