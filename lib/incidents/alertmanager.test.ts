import { describe, expect, it } from "vitest";
import { checkAlert } from "@/lib/incidents/alertmanager";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const alert = (startsAt: string, extra: Record<string, unknown> = {}) => ({
  status: "firing",
  labels: { alertname: "HighLatency", service: "payments" },
  annotations: { summary: "p99 above 1s" },
  startsAt,
  endsAt: "0001-01-01T00:00:00Z",
  fingerprint: "f1",
  ...extra,
});

describe("checkAlert rejects absurd alert times with a reason instead of storing them", () => {
  it.each([
    ["year 9999", "9999-12-31T23:59:59Z", /more than a day ahead/],
    ["two days ahead", "2026-12-09T12:00:01Z", /more than a day ahead/],
    ["the Unix epoch", "1970-01-01T00:00:00Z", /before 2000-01-01/],
    ["December 1999", "1999-12-31T23:59:59Z", /before 2000-01-01/],
    ["Alertmanager's zero time", "0001-01-01T00:00:00Z", /before 2000-01-01/],
  ])("startsAt %s is time_out_of_range", (_name, startsAt, message) => {
    const checked = checkAlert(alert(startsAt), NOW);
    expect(checked).toMatchObject({ reason: "time_out_of_range", message: expect.stringMatching(message) });
    expect((checked as { message: string }).message).toContain("startsAt");
  });

  it("accepts times from 2000 up to a day ahead (clock skew, early delivery)", () => {
    for (const startsAt of ["2000-01-01T00:00:00Z", "2026-12-07T11:59:00Z", "2026-12-08T11:59:59Z"]) {
      const checked = checkAlert(alert(startsAt), NOW);
      expect(checked, startsAt).toHaveProperty("signal");
      expect((checked as { signal: { startsAt: Date } }).signal.startsAt.toISOString()).toBe(new Date(startsAt).toISOString());
    }
  });

  it("rejects a resolved alert whose endsAt is absurd, naming endsAt", () => {
    const checked = checkAlert(alert("2026-12-07T11:00:00Z", { status: "resolved", endsAt: "9999-01-01T00:00:00Z" }), NOW);
    expect(checked).toMatchObject({ reason: "time_out_of_range", message: expect.stringContaining("endsAt") });
  });
});
