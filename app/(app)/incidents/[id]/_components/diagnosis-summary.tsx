// What most likely went wrong, before what to do about it: the leading hypothesis of lib/recommend/diagnose
// with the quotes that point to it, and the runners-up in one smaller line.
import type { DiagnosisItem } from "@/lib/recommend/diagnose";

const percent = (p: number) => `${Math.round(p * 100)}%`;

export function DiagnosisSummary({ items }: { items: readonly DiagnosisItem[] }) {
  const [top, ...others] = items;
  if (!top) return null;
  return (
    <div className="mb-3 rounded-lg border border-indigo-200 bg-indigo-50/60 p-4" data-testid="diagnosis">
      <h3 className="text-xs font-semibold tracking-wide text-indigo-800 uppercase">Diagnosis</h3>
      <p className="mt-1 text-sm break-words text-slate-900" data-testid="diagnosis-top" data-hypothesis={top.hypothesis}>
        <span className="font-semibold">Most likely:</span> {top.label} <span className="text-slate-600 tabular-nums">({percent(top.probability)})</span>
      </p>
      {top.evidence.length ? (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700" aria-label={`Evidence for ${top.label}`} data-testid="diagnosis-evidence">
          {top.evidence.map((e) => (
            <li key={e} className="break-words">
              {e}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Nothing in the alert text, recent changes or notes on similar incidents points to it yet: it rests on the kind of alert alone.</p>
      )}
      {others.length ? (
        <p className="mt-2 text-xs break-words text-slate-600" data-testid="diagnosis-others">
          Also possible: {others.map((o) => `${o.label} (${percent(o.probability)})`).join("; ")}.
        </p>
      ) : null}
    </div>
  );
}
