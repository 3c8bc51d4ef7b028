import type { Target } from "@/lib/oncall/schemas";
import type { TargetNames } from "@/lib/oncall/target-names";
import { minutesText, targetText } from "../_lib/describe";

/** A policy's steps in words, in order. */
export function PolicySteps({ steps, repeat, repeatAfterMinutes, names }: { steps: { afterMinutes: number; targets: Target[] }[]; repeat: number; repeatAfterMinutes: number; names: TargetNames }) {
  return (
    <>
      <ol className="space-y-1 text-sm">
        {steps.map((s, i) => (
          <li key={i} className="flex gap-2">
            <span className="shrink-0 font-medium text-slate-700">{`Step ${i + 1}`}</span>
            <span className="shrink-0 text-slate-500">{minutesText(s.afterMinutes)}:</span>
            <span className="text-slate-800">{s.targets.map((t) => targetText(t, names)).join("; ")}</span>
          </li>
        ))}
      </ol>
      <p className="mt-1 text-xs text-slate-500">
        {repeat ? `Repeats ${repeat} time${repeat === 1 ? "" : "s"}, ${repeatAfterMinutes} min after the last step, while nobody acknowledges.` : "Runs once."}
      </p>
    </>
  );
}
