// clusterState: the connection state shown for a cluster, from its timestamps. Pure; no database calls
// (importing clusters.ts builds the Prisma client, which does not connect until its first query).
import { describe, expect, it } from "vitest";
import { HEARTBEAT_MS } from "./protocol";
import { BOOTSTRAP_TTL_MS, clusterState } from "./clusters";

const NOW = Date.parse("2025-03-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs);
const STALE = 3 * HEARTBEAT_MS;

type Row = Parameters<typeof clusterState>[0];
const row = (over: Partial<Row> = {}): Row => ({ enrolledAt: null, bootstrapExpiresAt: null, connectedAt: null, disconnectedAt: null, lastHeartbeatAt: null, ...over });
const enrolled = (over: Partial<Row> = {}) => row({ enrolledAt: at(-86_400_000), bootstrapExpiresAt: at(-3_600_000), ...over });

describe("clusterState before enrollment", () => {
  it("awaits enrollment while the bootstrap token is valid", () => {
    expect(clusterState(row({ bootstrapExpiresAt: at(BOOTSTRAP_TTL_MS) }), NOW)).toBe("awaiting_enrollment");
    expect(clusterState(row({ bootstrapExpiresAt: at(1) }), NOW)).toBe("awaiting_enrollment");
  });

  it("is token_expired once the bootstrap token expired", () => {
    expect(clusterState(row({ bootstrapExpiresAt: at(-1) }), NOW)).toBe("token_expired");
    expect(clusterState(row({ bootstrapExpiresAt: at(-BOOTSTRAP_TTL_MS) }), NOW)).toBe("token_expired");
  });

  it("at the exact expiry instant it still awaits enrollment", () => {
    expect(clusterState(row({ bootstrapExpiresAt: at(0) }), NOW)).toBe("awaiting_enrollment");
  });

  it("without a token at all it awaits enrollment", () => {
    expect(clusterState(row(), NOW)).toBe("awaiting_enrollment");
  });

  it("ignores connection timestamps until enrolled (a re-issued token resets enrollment)", () => {
    expect(clusterState(row({ bootstrapExpiresAt: at(60_000), connectedAt: at(-1000), lastHeartbeatAt: at(-1000) }), NOW)).toBe("awaiting_enrollment");
  });

  it("an enrolled cluster is never token_expired, whatever its old token", () => {
    expect(clusterState(enrolled({ bootstrapExpiresAt: at(-BOOTSTRAP_TTL_MS) }), NOW)).toBe("disconnected");
  });
});

describe("clusterState after enrollment", () => {
  it("is connected with an open connection and a fresh heartbeat", () => {
    expect(clusterState(enrolled({ connectedAt: at(-600_000), lastHeartbeatAt: at(-5_000) }), NOW)).toBe("connected");
  });

  it("is connected after a reconnect (disconnectedAt before connectedAt)", () => {
    expect(clusterState(enrolled({ connectedAt: at(-60_000), disconnectedAt: at(-120_000), lastHeartbeatAt: at(-10_000) }), NOW)).toBe("connected");
  });

  it("is disconnected once disconnectedAt is after connectedAt, even with a fresh heartbeat", () => {
    expect(clusterState(enrolled({ connectedAt: at(-120_000), disconnectedAt: at(-1_000), lastHeartbeatAt: at(-2_000) }), NOW)).toBe("disconnected");
  });

  it("is disconnected when connected and disconnected at the same instant", () => {
    expect(clusterState(enrolled({ connectedAt: at(-60_000), disconnectedAt: at(-60_000), lastHeartbeatAt: at(-1_000) }), NOW)).toBe("disconnected");
  });

  it("is disconnected when the heartbeat is older than 3 × HEARTBEAT_MS, though the socket never closed", () => {
    const c = enrolled({ connectedAt: at(-3_600_000), lastHeartbeatAt: at(-STALE - 1) });
    expect(clusterState(c, NOW)).toBe("disconnected");
    // Same row, seen earlier: still connected.
    expect(clusterState(c, NOW - 2)).toBe("connected");
  });

  it("the staleness boundary: just under 3 heartbeats is connected, exactly 3 is not", () => {
    expect(clusterState(enrolled({ connectedAt: at(-3_600_000), lastHeartbeatAt: at(-STALE + 1) }), NOW)).toBe("connected");
    expect(clusterState(enrolled({ connectedAt: at(-3_600_000), lastHeartbeatAt: at(-STALE) }), NOW)).toBe("disconnected");
    expect(STALE).toBe(45_000);
  });

  it("is disconnected when it never connected or never sent a heartbeat", () => {
    expect(clusterState(enrolled(), NOW)).toBe("disconnected");
    expect(clusterState(enrolled({ lastHeartbeatAt: at(-1_000) }), NOW)).toBe("disconnected");
    expect(clusterState(enrolled({ connectedAt: at(-1_000) }), NOW)).toBe("disconnected");
  });
});
