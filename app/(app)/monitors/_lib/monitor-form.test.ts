import { describe, expect, it } from "vitest";
import { ZMonitorInput, defaultSensitivity } from "@/lib/monitors/schemas";
import { ZPreviewInput } from "@/lib/monitors/preview-monitor";
import { NEW_MONITOR_VALUES, monitorInputFromForm } from "./monitor-form";

// What the action hands over: FormData read by formValues(), so blank fields are absent.
function submitted(overrides: Record<string, string>): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries({ ...NEW_MONITOR_VALUES, ...overrides })) if (typeof v === "string" && v.trim() !== "") values[k] = v;
  return values;
}

// Issue 17 item 8: a monitor made by the API, by the form and by a preview must get the same threshold.
describe("the default sensitivity has one owner", () => {
  const base = { name: "m", query: "up" };

  it("an API-created ensemble monitor gets the ensemble's fireLevel, and so does the form's initial value", () => {
    const api = ZMonitorInput.parse({ ...base, detector: { type: "ensemble" } });
    expect(api.sensitivity).toBe(0.3);
    expect(Number(NEW_MONITOR_VALUES.sensitivity)).toBe(api.sensitivity);
    const form = monitorInputFromForm(submitted(base), true);
    expect(form.ok && ZMonitorInput.parse(form.input).sensitivity).toBe(api.sensitivity);
  });

  it("follows a custom fireLevel, and single-model detectors default to 0.5", () => {
    expect(ZMonitorInput.parse({ ...base, detector: { type: "ensemble", fireLevel: 0.45 } }).sensitivity).toBe(0.45);
    expect(ZMonitorInput.parse({ ...base, detector: { type: "zscore" } }).sensitivity).toBe(0.5);
    expect(defaultSensitivity({ type: "mad" })).toBe(0.5);
  });

  it("a form left blank and a preview without one fall back to the same default; an explicit value wins", () => {
    const blank = monitorInputFromForm(submitted({ ...base, sensitivity: "" }), true);
    expect(blank.ok && ZMonitorInput.parse(blank.input).sensitivity).toBe(0.3);
    expect(ZPreviewInput.parse({ query: "up", detector: { type: "ensemble" } }).sensitivity).toBeUndefined();
    expect(ZMonitorInput.parse({ ...base, detector: { type: "ensemble" }, sensitivity: 0.9 }).sensitivity).toBe(0.9);
  });
});
