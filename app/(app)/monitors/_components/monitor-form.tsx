"use client";

import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldAria, inputClass, labelClass, selectClass } from "@/components/ui/field";
import { PreviewResult } from "./monitor-preview";
import { previewMonitorAction, saveMonitorAction, type PreviewMonitorState, type SaveMonitorState } from "../actions";
import type { MonitorFormValues } from "../_lib/monitor-form";

const textareaClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-xs text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:border-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 aria-invalid:border-red-500";

const PREVIEW_RANGES = [
  { value: 3_600, label: "Last hour" },
  { value: 6 * 3_600, label: "Last 6 hours" },
  { value: 24 * 3_600, label: "Last 24 hours" },
  { value: 7 * 86_400, label: "Last 7 days" },
];

const DETECTOR_HELP: Record<string, string> = {
  ensemble: "Ensemble: robust median/MAD, seasonal and spatial channels combined into an anomaly likelihood. A good default.",
  zscore: "Rolling z-score over a window of recent points.",
  ewma: "Exponentially weighted mean and variance; adapts to slow drifts.",
  mad: "Rolling median and median absolute deviation; robust to outliers.",
  seasonal: "Holt-Winters with a period detected from the data; for daily or weekly patterns.",
};

type Props = {
  /** Set when editing an existing monitor. */
  id?: string;
  initial: MonitorFormValues;
  detectorTypes: readonly string[];
  severities: readonly string[];
  /** Per detector type, its default settings as JSON (shown as the placeholder). */
  detectorDefaults: Record<string, string>;
  /** Whether the organization has a Prometheus (or a cluster) to preview against. */
  canPreview: boolean;
  /** Enrolled clusters whose agent can query their in-cluster Prometheus. */
  clusters: readonly { id: string; name: string }[];
};

/**
 * Create / edit a monitor, with a Preview that scores recent data without saving.
 * Submitted through onSubmit rather than <form action>: React resets a form after its action runs,
 * which would wipe what the user typed every time they preview.
 */
export function MonitorForm({ id, initial, detectorTypes, severities, detectorDefaults, canPreview, clusters }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  const [saveState, saveAction, saving] = useActionState<SaveMonitorState, FormData>(saveMonitorAction, null);
  const [previewState, previewAction, previewing] = useActionState<PreviewMonitorState, FormData>(previewMonitorAction, null);
  const [lastRun, setLastRun] = useState<"save" | "preview" | null>(null);
  const [detectorType, setDetectorType] = useState(initial.detectorType);
  // The advanced JSON is kept per detector type, so switching types back and forth loses nothing.
  const [drafts, setDrafts] = useState<Record<string, string>>({ [initial.detectorType]: initial.detectorJson });
  const detectorJson = drafts[detectorType] ?? "";
  const prefix = id ? `monitor-${id.slice(0, 8)}` : "new-monitor";

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = submitter?.value === "preview" ? "preview" : "save";
    const fd = new FormData(e.currentTarget);
    setLastRun(intent);
    startTransition(() => (intent === "preview" ? previewAction(fd) : saveAction(fd)));
  };

  // A new monitor was created: start the next one from a clean form.
  useEffect(() => {
    if (!saveState?.ok || id) return;
    formRef.current?.reset();
    setDetectorType(initial.detectorType);
    setDrafts({ [initial.detectorType]: initial.detectorJson });
  }, [saveState, id, initial.detectorType, initial.detectorJson]);

  const shown = lastRun === "preview" ? previewState : saveState;
  const errors = shown && !shown.ok ? shown.fieldErrors : undefined;
  const busy = saving || previewing;

  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} aria-label={id ? `Edit monitor ${initial.name}` : "New monitor"} className="space-y-4">
        {id ? <input type="hidden" name="id" value={id} /> : null}
        {/* Saved after a preview, the monitor's first scan learns from the same window, so it flags what the preview showed. */}
        {previewState?.ok ? <input type="hidden" name="historyFrom" value={previewState.from} /> : null}
        <div className="grid gap-4 md:grid-cols-[2fr_1fr_1fr]">
          <Field id={`${prefix}-name`} label="Name" errors={errors?.name}>
            <input
              id={`${prefix}-name`}
              name="name"
              required
              maxLength={200}
              defaultValue={initial.name}
              placeholder="e.g. checkout p99 latency"
              className={inputClass}
              {...fieldAria(`${prefix}-name`, { errors: errors?.name })}
            />
          </Field>
          <Field id={`${prefix}-step`} label="Step (seconds)" errors={errors?.stepSeconds} hint="How often a point is scored">
            <input
              id={`${prefix}-step`}
              name="stepSeconds"
              type="number"
              min={5}
              max={86400}
              step={1}
              required
              defaultValue={initial.stepSeconds}
              className={inputClass}
              {...fieldAria(`${prefix}-step`, { errors: errors?.stepSeconds, hint: true })}
            />
          </Field>
          <Field id={`${prefix}-severity`} label="Severity of its signals" errors={errors?.severity}>
            <select id={`${prefix}-severity`} name="severity" defaultValue={initial.severity} className={selectClass} {...fieldAria(`${prefix}-severity`, { errors: errors?.severity })}>
              {severities.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
        </div>

        {clusters.length || initial.clusterId ? (
          <Field id={`${prefix}-source`} label="Metrics from" errors={errors?.clusterId} hint="A cluster's in-cluster Prometheus is queried by that cluster's agent.">
            <select id={`${prefix}-source`} name="clusterId" defaultValue={initial.clusterId} className={`${selectClass} max-w-md`} {...fieldAria(`${prefix}-source`, { errors: errors?.clusterId, hint: true })}>
              <option value="">The organization&apos;s Prometheus (Integrations)</option>
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  Cluster {c.name} (through its agent)
                </option>
              ))}
            </select>
          </Field>
        ) : null}

        <Field id={`${prefix}-query`} label="PromQL query" errors={errors?.query} hint="Each series the query returns is scored on its own.">
          <textarea
            id={`${prefix}-query`}
            name="query"
            required
            rows={2}
            maxLength={4000}
            defaultValue={initial.query}
            placeholder='e.g. histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[5m])))'
            className={textareaClass}
            spellCheck={false}
            {...fieldAria(`${prefix}-query`, { errors: errors?.query, hint: true })}
          />
        </Field>

        <div className="grid gap-4 md:grid-cols-[1fr_1fr_2fr]">
          <Field id={`${prefix}-detector`} label="Detector">
            <select
              id={`${prefix}-detector`}
              name="detectorType"
              value={detectorType}
              onChange={(e) => setDetectorType(e.target.value)}
              className={selectClass}
              aria-describedby={`${prefix}-detector-help`}
            >
              {detectorTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={`${prefix}-sensitivity`}
            label="Sensitivity"
            errors={errors?.sensitivity}
            hint="Score (0–1] a point must reach to count as anomalous; higher flags less"
          >
            <input
              id={`${prefix}-sensitivity`}
              name="sensitivity"
              type="number"
              min={0}
              max={1}
              step="any"
              required
              defaultValue={initial.sensitivity}
              className={inputClass}
              {...fieldAria(`${prefix}-sensitivity`, { errors: errors?.sensitivity, hint: true })}
            />
          </Field>
          <p id={`${prefix}-detector-help`} className="text-xs text-slate-600 md:pt-6">
            {DETECTOR_HELP[detectorType] ?? ""}
          </p>
        </div>

        <details className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2" open={!!detectorJson || !!errors?.detector}>
          <summary className="cursor-pointer text-xs font-medium text-slate-700">Advanced detector settings (JSON)</summary>
          <div className="mt-2">
            <Field
              id={`${prefix}-detector-json`}
              label={`Settings that differ from the ${detectorType} defaults`}
              errors={errors?.detector}
              hint="Leave empty to use the defaults shown in the box. Keys you set override them."
            >
              <textarea
                id={`${prefix}-detector-json`}
                name="detectorJson"
                rows={6}
                value={detectorJson}
                onChange={(e) => setDrafts((d) => ({ ...d, [detectorType]: e.target.value }))}
                placeholder={detectorDefaults[detectorType]}
                className={textareaClass}
                spellCheck={false}
                {...fieldAria(`${prefix}-detector-json`, { errors: errors?.detector, hint: true })}
              />
            </Field>
          </div>
        </details>

        <div className="grid gap-4 md:grid-cols-[2fr_1fr]">
          <Field id={`${prefix}-labels`} label="Labels" errors={errors?.labels} hint="One key=value per line, added to its signals. Name the service (service=checkout) to group incidents by it.">
            <textarea
              id={`${prefix}-labels`}
              name="labels"
              rows={2}
              defaultValue={initial.labels}
              placeholder="service=checkout"
              className={textareaClass}
              spellCheck={false}
              {...fieldAria(`${prefix}-labels`, { errors: errors?.labels, hint: true })}
            />
          </Field>
          <div className="flex items-start gap-2 pt-5">
            <input id={`${prefix}-enabled`} name="enabled" type="checkbox" defaultChecked={initial.enabled} className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600" />
            <label htmlFor={`${prefix}-enabled`} className="text-sm text-slate-800">
              Enabled
              <span className="block text-xs text-slate-500">Scans Prometheus every step and raises signals.</span>
            </label>
          </div>
        </div>

        <div className="flex flex-wrap items-end gap-3 border-t border-slate-200 pt-4">
          <Button type="submit" name="intent" value="save" disabled={busy} aria-disabled={busy}>
            {saving ? "Saving…" : id ? "Save changes" : "Create monitor"}
          </Button>
          <span className="h-6 w-px bg-slate-200" aria-hidden="true" />
          <div className="w-40 space-y-1">
            <label htmlFor={`${prefix}-range`} className={labelClass}>
              Preview range
            </label>
            <select id={`${prefix}-range`} name="previewRange" defaultValue={String(24 * 3_600)} className={selectClass} disabled={!canPreview}>
              {PREVIEW_RANGES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" name="intent" value="preview" variant="secondary" formNoValidate disabled={busy || !canPreview} aria-disabled={busy || !canPreview} aria-describedby={canPreview ? undefined : `${prefix}-preview-hint`}>
            {previewing ? "Previewing…" : "Preview"}
          </Button>
          {!canPreview ? (
            <p id={`${prefix}-preview-hint`} className="text-xs text-slate-600">
              Preview needs a Prometheus source; an admin sets it on the Integrations page.
            </p>
          ) : null}
        </div>
      </form>

      <div aria-live="polite" className="space-y-3">
        {shown && !shown.ok ? (
          <Alert tone="error" role="alert">
            {shown.error}
          </Alert>
        ) : null}
        {lastRun === "save" && saveState?.ok ? (
          <Alert tone="success">{id ? `Saved ${saveState.name}.` : `Monitor ${saveState.name} created.`}</Alert>
        ) : null}
      </div>
      {previewState?.ok ? <PreviewResult state={previewState} stale={lastRun === "preview" && previewing} /> : null}
    </div>
  );
}
