// The agent's configuration: environment → AgentConfig, and the allowlist file.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, readAllowlist } from "./config";

let dir: string;
let missingAllowlist: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "neuralops-config-"));
  missingAllowlist = path.join(dir, "no-such-allowlist.yaml");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A source that never reads the real /etc/neuralops/allowlist.yaml.
// (ProcessEnv is augmented with a required NODE_ENV by Next's types; the agent does not read it.)
const asEnv = (vars: Record<string, string | undefined>) => vars as NodeJS.ProcessEnv;
const env = (over: Record<string, string | undefined> = {}) => asEnv({ NEURALOPS_URL: "https://neuralops.example.com", NEURALOPS_ALLOWLIST_FILE: missingAllowlist, ...over });

function allowlistFile(text: string, name = "allowlist.yaml"): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe("loadConfig: URLs", () => {
  it("derives the gateway from NEURALOPS_URL: https → wss, path /api/v1/agent/connect", () => {
    const c = loadConfig(env());
    expect(c.controlPlaneUrl).toBe("https://neuralops.example.com");
    expect(c.gatewayUrl).toBe("wss://neuralops.example.com/api/v1/agent/connect");
  });

  it("http → ws, keeping host and port", () => {
    const c = loadConfig(env({ NEURALOPS_URL: "http://127.0.0.1:3000" }));
    expect(c.gatewayUrl).toBe("ws://127.0.0.1:3000/api/v1/agent/connect");
    expect(c.controlPlaneUrl).toBe("http://127.0.0.1:3000");
  });

  it("strips a trailing slash from the control-plane URL", () => {
    const c = loadConfig(env({ NEURALOPS_URL: "https://neuralops.example.com/" }));
    expect(c.controlPlaneUrl).toBe("https://neuralops.example.com");
    expect(c.gatewayUrl).toBe("wss://neuralops.example.com/api/v1/agent/connect");
  });

  it("keeps an explicit NEURALOPS_GATEWAY_URL as given", () => {
    const c = loadConfig(env({ NEURALOPS_GATEWAY_URL: "wss://agents.example.com:8443/custom/path" }));
    expect(c.gatewayUrl).toBe("wss://agents.example.com:8443/custom/path");
    expect(c.controlPlaneUrl).toBe("https://neuralops.example.com");
  });
});

describe("loadConfig: identity", () => {
  it("defaults to secret:<POD_NAMESPACE>/neuralops-agent-identity", () => {
    expect(loadConfig(env({ POD_NAMESPACE: "ops" })).identity).toEqual({ kind: "secret", namespace: "ops", name: "neuralops-agent-identity" });
    expect(loadConfig(env()).identity).toEqual({ kind: "secret", namespace: "neuralops", name: "neuralops-agent-identity" });
  });

  it("parses secret:<namespace>/<name>", () => {
    expect(loadConfig(env({ NEURALOPS_IDENTITY: "secret:team-a/agent.id-2" })).identity).toEqual({ kind: "secret", namespace: "team-a", name: "agent.id-2" });
  });

  it("parses file:<path>", () => {
    expect(loadConfig(env({ NEURALOPS_IDENTITY: "file:/x" })).identity).toEqual({ kind: "file", path: "/x" });
    expect(loadConfig(env({ NEURALOPS_IDENTITY: "file:./state/id.json" })).identity).toEqual({ kind: "file", path: "./state/id.json" });
  });

  it.each(["secret:ns", "secret:NS/name", "secret:/name", "vault:ns/name", "file:", "ns/name"])("rejects a malformed identity spec %j", (spec) => {
    expect(() => loadConfig(env({ NEURALOPS_IDENTITY: spec }))).toThrow(/NEURALOPS_IDENTITY/);
  });
});

describe("loadConfig: the rest", () => {
  it("applies defaults", () => {
    const c = loadConfig(env());
    expect(c.stateDir).toBe("/var/lib/neuralops-agent");
    expect(c.listen).toEqual({ host: "0.0.0.0", port: 9091 });
    expect(c.maxWriteBytes).toBe(1024 * 1024);
    expect(c.reconnect).toEqual({ minMs: 1000, maxMs: 60_000 });
    expect(c.kube).toEqual({ kubeconfig: undefined, apiUrl: undefined });
    expect(c.prometheusUrl).toBeUndefined();
    expect(c.bootstrapToken).toBeUndefined();
    expect(c.allowlist.size).toBe(0);
  });

  it("reads overrides, coercing numbers, and the allowlist file", () => {
    const c = loadConfig(
      env({
        NEURALOPS_ALLOWLIST_FILE: allowlistFile("actions: [k8s.logs, k8s.events]\n"),
        NEURALOPS_STATE_DIR: "/tmp/state",
        NEURALOPS_LISTEN: "127.0.0.1:8080",
        NEURALOPS_MAX_WRITE_BYTES: "2048",
        NEURALOPS_RECONNECT_MIN_MS: "250",
        NEURALOPS_RECONNECT_MAX_MS: "5000",
        NEURALOPS_BOOTSTRAP_TOKEN: "nob_abc",
        PROMETHEUS_URL: "http://prometheus.monitoring:9090",
        KUBECONFIG: "/etc/neuralops/kubeconfig",
        NEURALOPS_KUBE_API: "http://127.0.0.1:6443",
      }),
    );
    expect([...c.allowlist].sort()).toEqual(["k8s.events", "k8s.logs"]);
    expect(c.stateDir).toBe("/tmp/state");
    expect(c.listen).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(c.maxWriteBytes).toBe(2048);
    expect(c.reconnect).toEqual({ minMs: 250, maxMs: 5000 });
    expect(c.bootstrapToken).toBe("nob_abc");
    expect(c.prometheusUrl).toBe("http://prometheus.monitoring:9090");
    expect(c.kube).toEqual({ kubeconfig: "/etc/neuralops/kubeconfig", apiUrl: "http://127.0.0.1:6443" });
  });

  it("parses a listen address with an IPv6 host and one with only a port", () => {
    expect(loadConfig(env({ NEURALOPS_LISTEN: "[::]:9000" })).listen).toEqual({ host: "::", port: 9000 });
    expect(loadConfig(env({ NEURALOPS_LISTEN: ":9000" })).listen).toEqual({ host: "0.0.0.0", port: 9000 });
    expect(loadConfig(env({ NEURALOPS_LISTEN: "8080" })).listen).toEqual({ host: "0.0.0.0", port: 8080 });
    expect(() => loadConfig(env({ NEURALOPS_LISTEN: "localhost:http" }))).toThrow(/NEURALOPS_LISTEN/);
  });

  it("keeps NEURALOPS_URL's base path in the derived gateway URL", () => {
    expect(loadConfig(env({ NEURALOPS_URL: "https://example.com/neuralops/" })).gatewayUrl).toBe("wss://example.com/neuralops/api/v1/agent/connect");
  });
});

describe("loadConfig: invalid environment", () => {
  it("throws a readable message naming NEURALOPS_URL when it is missing", () => {
    expect(() => loadConfig(asEnv({ NEURALOPS_ALLOWLIST_FILE: missingAllowlist }))).toThrow(/^invalid agent environment:\n\s+NEURALOPS_URL: /);
  });

  it("names every bad variable", () => {
    let message = "";
    try {
      loadConfig(env({ NEURALOPS_URL: "not a url", NEURALOPS_RECONNECT_MIN_MS: "-5", PROMETHEUS_URL: "prometheus" }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^invalid agent environment:/);
    expect(message).toContain("NEURALOPS_URL");
    expect(message).toContain("NEURALOPS_RECONNECT_MIN_MS");
    expect(message).toContain("PROMETHEUS_URL");
    expect(message).not.toContain("NEURALOPS_STATE_DIR");
  });

  it("refuses a reconnect minimum above the maximum, and a POD_NAMESPACE that is not a namespace name", () => {
    expect(() => loadConfig(env({ NEURALOPS_RECONNECT_MIN_MS: "10000", NEURALOPS_RECONNECT_MAX_MS: "1000" }))).toThrow(/NEURALOPS_RECONNECT_MIN_MS: must not exceed/);
    expect(() => loadConfig(env({ POD_NAMESPACE: "Bad_NS/x" }))).toThrow(/POD_NAMESPACE/);
  });

  it("propagates an invalid allowlist file", () => {
    expect(() => loadConfig(env({ NEURALOPS_ALLOWLIST_FILE: allowlistFile("actions: [k8s.exec]\n") }))).toThrow(/allowlist/);
  });
});

describe("readAllowlist", () => {
  it("a missing file allows nothing", () => {
    const s = readAllowlist(missingAllowlist);
    expect(s).toBeInstanceOf(Set);
    expect(s.size).toBe(0);
  });

  it("an empty file or an empty list allows nothing", () => {
    expect(readAllowlist(allowlistFile("")).size).toBe(0);
    expect(readAllowlist(allowlistFile("actions: []\n", "b.yaml")).size).toBe(0);
    expect(readAllowlist(allowlistFile("# nothing yet\n", "c.yaml")).size).toBe(0);
  });

  it("reads a YAML block list", () => {
    const f = allowlistFile("actions:\n  - k8s.rollout_restart\n  - k8s.scale\n  - prometheus.query_range\n");
    expect(readAllowlist(f)).toEqual(new Set(["k8s.rollout_restart", "k8s.scale", "prometheus.query_range"]));
  });

  it("reads a flow list and collapses duplicates", () => {
    expect(readAllowlist(allowlistFile("actions: [k8s.logs, k8s.logs, k8s.events]\n"))).toEqual(new Set(["k8s.logs", "k8s.events"]));
  });

  it("throws on an unknown action, naming the file and the entry", () => {
    const f = allowlistFile("actions:\n  - k8s.scale\n  - k8s.exec\n", "bad-action.yaml");
    expect(() => readAllowlist(f)).toThrow(f);
    expect(() => readAllowlist(f)).toThrow(/actions\.1/);
  });

  it("throws on an extra key (a typo must not silently allow nothing or everything)", () => {
    const f = allowlistFile("actions: [k8s.scale]\nallowAll: true\n", "extra.yaml");
    expect(() => readAllowlist(f)).toThrow(f);
    expect(() => readAllowlist(f)).toThrow(/allowAll/);
  });

  it("throws when the key is misspelled", () => {
    expect(() => readAllowlist(allowlistFile("action: [k8s.scale]\n"))).toThrow(/allowlist/);
  });

  it("throws on a bare top-level list (the file must be a mapping with `actions`)", () => {
    expect(() => readAllowlist(allowlistFile("- k8s.scale\n"))).toThrow(/allowlist/);
  });

  it("propagates read errors other than a missing file", () => {
    // A directory is not readable as a file.
    expect(() => readAllowlist(dir)).toThrow(/EISDIR/);
  });
});

describe("loadConfig: change watch", () => {
  it("is on for every namespace by default; a comma list narrows it; false turns it off; a bad name is refused", () => {
    expect(loadConfig(env()).changes).toEqual({ enabled: true, namespaces: [] });
    expect(loadConfig(env({ NEURALOPS_WATCH_NAMESPACES: " shop, payments ,," })).changes).toEqual({ enabled: true, namespaces: ["shop", "payments"] });
    expect(loadConfig(env({ NEURALOPS_WATCH_CHANGES: "false" })).changes.enabled).toBe(false);
    expect(() => loadConfig(env({ NEURALOPS_WATCH_NAMESPACES: "Shop" }))).toThrow(/NEURALOPS_WATCH_NAMESPACES/);
    expect(() => loadConfig(env({ NEURALOPS_WATCH_CHANGES: "yes" }))).toThrow(/NEURALOPS_WATCH_CHANGES/);
  });
});
