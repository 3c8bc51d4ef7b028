import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { AGENT_CHART_VERSION, controlPlaneUrlFrom, DEFAULT_AGENT_CHART, gatewayUrlFor, installCommands } from "./install";
import { readAllowlist } from "@/agent/config";

describe("install commands", () => {
  const cmds = installCommands({ controlPlaneUrl: "https://ops.example.org/", gatewayUrl: "wss://agents.example.org/api/v1/agent/connect", bootstrapToken: "nob_abc" });

  it("derives the gateway URL from the app's origin unless one is configured", () => {
    expect(gatewayUrlFor("https://ops.example.org")).toBe("wss://ops.example.org/api/v1/agent/connect");
    expect(gatewayUrlFor("http://localhost:3000")).toBe("ws://localhost:3000/api/v1/agent/connect");
    expect(gatewayUrlFor("http://localhost:3000", "ws://localhost:3001/api/v1/agent/connect")).toBe("ws://localhost:3001/api/v1/agent/connect");
  });

  it("points agents at the public URL, then NEXTAUTH_URL, then the browser's origin", () => {
    expect(controlPlaneUrlFrom({ publicUrl: "https://ops.example.org/", nextauthUrl: "http://localhost:3000", requestOrigin: "http://10.0.0.5:3000" })).toBe("https://ops.example.org");
    expect(controlPlaneUrlFrom({ nextauthUrl: "https://auth.example.org", requestOrigin: "http://10.0.0.5:3000" })).toBe("https://auth.example.org");
    expect(controlPlaneUrlFrom({ requestOrigin: "https://ops.internal" })).toBe("https://ops.internal");
  });

  it("helm: a chart reference helm can pull from anywhere, not a path in a checkout", () => {
    expect(cmds.helm).toMatch(new RegExp(`^helm install neuralops-agent ${DEFAULT_AGENT_CHART} \\\\\n  --version ${AGENT_CHART_VERSION} \\\\`));
    expect(cmds.helm).not.toContain("deploy/helm");
    expect(readFileSync("deploy/helm/neuralops-agent/Chart.yaml", "utf8")).toMatch(new RegExp(`^version: ${AGENT_CHART_VERSION.replace(/\./g, "\\.")}$`, "m"));
    const tgz = installCommands({ controlPlaneUrl: "https://ops.example.org", gatewayUrl: "wss://x/y", bootstrapToken: "t", chart: "https://charts.example.org/neuralops-agent-0.1.0.tgz" });
    expect(tgz.helm).toMatch(/^helm install neuralops-agent https:\/\/charts\.example\.org\/neuralops-agent-0\.1\.0\.tgz \\\n  --namespace/);
    const fromUrl = installCommands({ controlPlaneUrl: "https://ops.example.org", gatewayUrl: "wss://x/y", bootstrapToken: "t", manifestsUrl: "https://example.org/agent.yaml" });
    expect(fromUrl.manifests).toContain("<(curl -fsSL https://example.org/agent.yaml) | kubectl apply -f -");
  });

  it("helm: the chart's values", () => {
    expect(cmds.helm).toContain("--set controlPlaneUrl=https://ops.example.org \\");
    expect(cmds.helm).toContain("--set gatewayUrl=wss://agents.example.org/api/v1/agent/connect");
    expect(cmds.helm).toContain("--set bootstrapToken=nob_abc");
  });

  it("plain manifests: substitutes exactly the placeholders the manifests carry", () => {
    const manifests = readFileSync("deploy/manifests/neuralops-agent.yaml", "utf8");
    for (const [, placeholder] of cmds.manifests.matchAll(/-e 's\|([^|]+)\|/g)) expect(manifests.split(placeholder!).length - 1, placeholder).toBe(1);
    expect(cmds.manifests).toContain("NEURALOPS_GATEWAY_URL=wss://agents.example.org/api/v1/agent/connect");
    expect(cmds.manifests).not.toContain("create secret");
  });

  it("plain manifests: the shell pipeline fills in the token and URL, and one random relay secret in both relay Secrets", () => {
    const [pipeline] = cmds.manifests.split(" | kubectl apply -f -");
    const out = execFileSync("sh", ["-c", pipeline!], { encoding: "utf8" });
    expect(out).not.toContain("REPLACE_WITH_");
    const secrets = parseAllDocuments(out)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string }; stringData?: Record<string, string> })
      .filter((d) => d.kind === "Secret");
    expect(secrets.find((s) => s.metadata.name === "neuralops-agent-identity")?.stringData).toEqual({ "bootstrap-token": "nob_abc" });
    const relay = secrets.filter((s) => s.metadata.name === "neuralops-agent-relay").map((s) => s.stringData?.token);
    expect(relay).toHaveLength(2);
    expect(relay[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(relay[1]).toBe(relay[0]);
  });

  it("local: points at an allowlist file that exists and parses", () => {
    const file = /NEURALOPS_ALLOWLIST_FILE=(\S+)/.exec(cmds.local)![1]!;
    expect(readAllowlist(file).size).toBeGreaterThan(0);
  });
});
