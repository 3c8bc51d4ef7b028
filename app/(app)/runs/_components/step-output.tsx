// A step's output read for a person: the summary, the HTTP status, the fields that matter (a verify
// step's value and check count, a Kubernetes step's cluster and exit status, the top-level fields of a
// JSON answer), with the raw JSON one click away.
import { Badge } from "@/components/ui/badge";
import { JsonBlock } from "./json-block";

type Output = Record<string, unknown>;

const scalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
const show = (v: unknown) => (typeof v === "string" ? (v.length > 120 ? `${v.slice(0, 120)}…` : v) : JSON.stringify(v));

/** Up to six top-level scalar fields of a JSON body (an API's answer usually says what happened there). */
function keyFields(body: unknown): [string, string | number | boolean][] {
  if (!body || typeof body !== "object" || Array.isArray(body)) return [];
  return Object.entries(body as Output)
    .filter((e): e is [string, string | number | boolean] => scalar(e[1]))
    .slice(0, 6);
}

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-mono break-all text-slate-800">{children}</dd>
    </div>
  );
}

export function StepOutput({ output, action, status, stepId }: { output: unknown; action: string; status: string; stepId: string }) {
  if (!output || typeof output !== "object" || Array.isArray(output)) return <JsonBlock value={output} label={`Output of step ${stepId}`} />;
  const o = output as Output;
  const httpStatus = typeof o.status === "number" ? o.status : null;
  const fields = keyFields(o.body);
  const k8s = action.startsWith("k8s.");
  const verify = action === "verify";
  return (
    <div className="space-y-1.5">
      {typeof o.summary === "string" ? <p className="text-sm break-words text-slate-800">{o.summary}</p> : null}
      <dl className="grid grid-cols-[repeat(auto-fill,minmax(7rem,1fr))] gap-x-3 gap-y-1 text-xs">
        {httpStatus !== null ? (
          <Field label="HTTP status" testId="step-http-status">
            <Badge tone={httpStatus < 300 ? "good" : httpStatus < 500 ? "warn" : "bad"}>{httpStatus}</Badge>
          </Field>
        ) : null}
        {scalar(o.dedupKey) ? <Field label="Dedup key">{String(o.dedupKey)}</Field> : null}
        {k8s && scalar(o.cluster) ? <Field label="Cluster">{String(o.cluster)}</Field> : null}
        {k8s && scalar(o.exitStatus) ? <Field label="Result">{o.exitStatus === 0 ? "ok" : `exit ${o.exitStatus}`}</Field> : null}
        {verify && "value" in o ? (
          <Field label={status === "started" ? "Current value" : "Last value"} testId="verify-value">
            {o.value === null ? "no series" : show(o.value)}
          </Field>
        ) : null}
        {verify && typeof o.checks === "number" ? (
          <Field label="Checks" testId="verify-checks">
            {o.checks}
          </Field>
        ) : null}
        {verify && typeof o.holds === "boolean" ? <Field label="Condition">{o.holds ? "holds" : "does not hold yet"}</Field> : null}
        {verify && typeof o.error === "string" ? <Field label="Last error">{o.error}</Field> : null}
        {typeof o.waitedMs === "number" ? <Field label="Waited">{o.waitedMs} ms</Field> : null}
        {fields.map(([k, v]) => (
          <Field key={k} label={k}>
            {show(v)}
          </Field>
        ))}
        {typeof o.body === "string" && o.body ? <Field label="Body">{show(o.body)}</Field> : null}
      </dl>
      <details>
        <summary className="cursor-pointer text-xs font-medium text-indigo-700">Raw JSON</summary>
        <div className="mt-1">
          <JsonBlock value={output} label={`Output of step ${stepId}`} />
        </div>
      </details>
    </div>
  );
}
