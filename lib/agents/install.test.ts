import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gatewayUrlFor, installCommands } from "./install";
import { readAllowlist } from "@/agent/config";

describe("install commands", () => {
  const cmds = installCommands({ controlPlaneUrl: "https://ops.example.org/", gatewayUrl: "wss://agents.example.org/api/v1/agent/connect", bootstrapToken: "nob_abc" });

  it("derives the gateway URL from the app's origin unless one is configured", () => {
    expect(gatewayUrlFor("https://ops.example.org")).toBe("wss://ops.example.org/api/v1/agent/connect");
    expect(gatewayUrlFor("http://localhost:3000")).toBe("ws://localhost:3000/api/v1/agent/connect");
    expect(gatewayUrlFor("http://localhost:3000", "ws://localhost:3001/api/v1/agent/connect")).toBe("ws://localhost:3001/api/v1/agent/connect");
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

  it("local: points at an allowlist file that exists and parses", () => {
    const file = /NEURALOPS_ALLOWLIST_FILE=(\S+)/.exec(cmds.local)![1]!;
    expect(readAllowlist(file).size).toBeGreaterThan(0);
  });
});
