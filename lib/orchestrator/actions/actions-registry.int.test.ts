// One action per name, and which actions are idempotent.
import { describe, expect, it } from "vitest";
import { ACTION_NAMES } from "@/lib/playbooks/action-names";
import { ACTIONS, actionFor } from "./index";

describe("registry and idempotency", () => {
  it("has one action per name, under its own name", () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...ACTION_NAMES].sort());
    for (const name of ACTION_NAMES) expect(actionFor(name).name).toBe(name);
  });

  const idempotent = (name: (typeof ACTION_NAMES)[number], input: unknown) => {
    const action = actionFor(name);
    return action.idempotent(action.schema.parse(input));
  };

  it.each([
    ["http", { url: "https://x" }, false],
    ["http", { url: "https://x", method: "PATCH" }, false],
    ["http", { url: "https://x", idempotent: true }, true],
    ...(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"] as const).map((method) => ["http", { url: "https://x", method }, true] as const),
    ["notify", { channel: "slack", webhookUrl: "https://hooks.slack.com/x", text: "t" }, false],
    ["notify", { channel: "pagerduty", routingKey: "k", summary: "s", source: "x" }, true],
    ["notify", { channel: "webhook", url: "https://x", secret: "whsec_a2V5", payload: {} }, true],
    ["wait", { duration: "1s" }, true],
    ["verify", { query: "up" }, true],
    ["k8s.rollout_restart", { namespace: "n", deployment: "d" }, true],
    ["k8s.scale", { namespace: "n", deployment: "d", replicas: 1 }, true],
    ["k8s.delete_pod", { namespace: "n", pod: "p" }, true],
    ["k8s.cordon", { node: "n" }, true],
    ["k8s.logs", { namespace: "n", pod: "p" }, true],
    ["k8s.events", { namespace: "n" }, true],
  ] as const)("%s %j → idempotent %s", (name, input, expected) => {
    expect(idempotent(name, input)).toBe(expected);
  });
});
