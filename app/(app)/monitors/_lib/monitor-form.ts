// The monitor form's wire format, both ways: FormData → monitor input (for the server actions) and a
// stored monitor → form values (for the pages). Server-side only; no decisions, only reshaping.
import { detectorConfigSchema, detectorTypes, type DetectorConfig } from "@/lib/insight/detectors/config";
import { defaultSensitivity, type MonitorInput } from "@/lib/monitors/schemas";
import type { FieldErrors } from "../../_lib/action-result";

export const MONITOR_FORM_FIELDS = ["name", "query", "stepSeconds", "detectorType", "detectorJson", "sensitivity", "severity", "labels", "clusterId", "historyFrom"] as const;

/** What the form shows; all strings (plus the checkbox) so it round-trips through FormData unchanged. */
export type MonitorFormValues = {
  name: string;
  query: string;
  stepSeconds: string;
  detectorType: string;
  /** Only the detector settings that differ from the type's defaults, as JSON ("" = all defaults). */
  detectorJson: string;
  sensitivity: string;
  severity: string;
  /** key=value per line. */
  labels: string;
  /** "" = the org's Prometheus; else the cluster whose agent queries its in-cluster Prometheus. */
  clusterId: string;
  enabled: boolean;
};

export const NEW_MONITOR_VALUES: MonitorFormValues = {
  name: "",
  query: "",
  stepSeconds: "60",
  detectorType: "ensemble",
  detectorJson: "",
  sensitivity: String(defaultSensitivity({ type: "ensemble" })),
  severity: "warning",
  labels: "",
  clusterId: "",
  enabled: true,
};

export function detectorTypeOf(detector: unknown): string {
  const t = (detector as { type?: unknown } | null)?.type;
  return typeof t === "string" ? t : "?";
}

/** Each detector type's defaults as pretty JSON, for the form's placeholder. */
export function detectorDefaults(): Record<string, string> {
  return Object.fromEntries(
    detectorTypes.map((type) => {
      const { type: _t, ...rest } = detectorConfigSchema.parse({ type });
      return [type, JSON.stringify(rest, null, 2)];
    }),
  );
}

export function monitorToFormValues(m: { name: string; query: string; stepSeconds: number; detector: unknown; sensitivity: number; severity: string; labels: unknown; clusterId: string | null; enabled: boolean }): MonitorFormValues {
  const parsed = detectorConfigSchema.safeParse(m.detector);
  let detectorType = "ensemble";
  let detectorJson = "";
  if (parsed.success) {
    detectorType = parsed.data.type;
    const defaults = detectorConfigSchema.parse({ type: parsed.data.type }) as Record<string, unknown>;
    const overrides = Object.fromEntries(
      Object.entries(parsed.data as Record<string, unknown>).filter(([k, v]) => k !== "type" && JSON.stringify(v) !== JSON.stringify(defaults[k])),
    );
    detectorJson = Object.keys(overrides).length ? JSON.stringify(overrides, null, 2) : "";
  } else if (m.detector && typeof m.detector === "object") {
    // A stored config this version cannot read: show it as it is, so saving it surfaces the error.
    const { type, ...rest } = m.detector as Record<string, unknown>;
    detectorType = typeof type === "string" ? type : detectorType;
    detectorJson = JSON.stringify(rest, null, 2);
  }
  const labels = Object.entries((m.labels ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
  return {
    name: m.name,
    query: m.query,
    stepSeconds: String(m.stepSeconds),
    detectorType,
    detectorJson,
    sensitivity: String(m.sensitivity),
    severity: m.severity,
    labels,
    clusterId: m.clusterId ?? "",
    enabled: m.enabled,
  };
}

type Parsed<T> = { ok: true; input: T } | { ok: false; fieldErrors: FieldErrors };

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function parseDetector(type: string | undefined, json: string | undefined): Parsed<DetectorConfig> {
  let extra: Record<string, unknown> = {};
  if (json) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      return { ok: false, fieldErrors: { detector: [`Not valid JSON: ${(err as Error).message}`] } };
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, fieldErrors: { detector: ["Enter a JSON object, e.g. {\"window\": 500}."] } };
    extra = value as Record<string, unknown>;
    if (extra.type !== undefined && extra.type !== type) {
      return { ok: false, fieldErrors: { detector: [`The JSON says type "${String(extra.type)}" but the selected detector is "${type}". Remove "type" from the JSON or pick that detector.`] } };
    }
  }
  // Validated here too (lib validates again) so errors can name the setting that is wrong.
  const parsed = detectorConfigSchema.safeParse({ ...extra, type });
  if (!parsed.success) {
    return { ok: false, fieldErrors: { detector: parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message.replace(/[^.]$/, "$&.")}`) } };
  }
  return { ok: true, input: parsed.data };
}

function parseLabels(text: string | undefined): Parsed<Record<string, string>> {
  const labels: Record<string, string> = {};
  const bad: string[] = [];
  for (const raw of (text ?? "").split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!key) bad.push(line);
    else labels[key] = line.slice(eq + 1).trim();
  }
  return bad.length ? { ok: false, fieldErrors: { labels: [`Write one key=value per line; not understood: ${bad.slice(0, 3).join(", ")}`] } } : { ok: true, input: labels };
}

/** Preview needs only the query and the detector settings. */
export function previewInputFromForm(values: Record<string, string | undefined>): Parsed<{ query: string; stepSeconds?: number; detector: DetectorConfig; sensitivity?: number; clusterId: string | null }> {
  const detector = parseDetector(values.detectorType, values.detectorJson);
  if (!detector.ok) return detector;
  if (!values.query) return { ok: false, fieldErrors: { query: ["Enter a PromQL query to preview."] } };
  return { ok: true, input: { query: values.query, stepSeconds: num(values.stepSeconds), detector: detector.input, sensitivity: num(values.sensitivity), clusterId: values.clusterId ?? null } };
}

export function monitorInputFromForm(values: Record<string, string | undefined>, enabled: boolean): Parsed<MonitorInput> {
  const detector = parseDetector(values.detectorType, values.detectorJson);
  const labels = parseLabels(values.labels);
  if (!detector.ok || !labels.ok) return { ok: false, fieldErrors: { ...(detector.ok ? {} : detector.fieldErrors), ...(labels.ok ? {} : labels.fieldErrors) } };
  return {
    ok: true,
    input: {
      name: values.name ?? "",
      query: values.query ?? "",
      stepSeconds: num(values.stepSeconds),
      detector: detector.input,
      sensitivity: num(values.sensitivity),
      severity: values.severity as MonitorInput["severity"],
      labels: labels.input,
      clusterId: values.clusterId ?? null,
      enabled,
      // Set by the form after a preview: the first scan learns from the window the preview scored.
      historyFrom: values.historyFrom ? num(values.historyFrom) : null,
    },
  };
}
