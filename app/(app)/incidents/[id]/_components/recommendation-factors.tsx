// The numbers behind one recommendation's score (lib/recommend/weights.ts names them), folded away: the
// justification above says the same in plain words; this is for whoever wants to check the arithmetic.
import type { Factor } from "@/lib/recommend/score";

const num = (v: number, digits: number) => (Object.is(v, -0) ? 0 : v).toFixed(digits);
const signed = (v: number, digits: number) => (v > 0 ? "+" : "") + num(v, digits);

export function RecommendationFactors({ playbook, factors }: { playbook: string; factors: readonly Factor[] }) {
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-xs font-medium text-slate-600 hover:text-slate-900">Why this score</summary>
      <div className="mt-2 overflow-x-auto">
        <table className="min-w-full text-left text-xs" data-testid="recommendation-factors">
          <caption className="sr-only">Factors behind the score of {playbook}</caption>
          <thead className="text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Factor</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Value</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Weight</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Contribution</th>
              <th scope="col" className="py-1 font-medium">Detail</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {factors.map((f) => (
              <tr key={f.name} data-factor={f.name} className="align-top">
                <td className="py-1 pr-3 font-mono text-slate-800">{f.name}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{num(f.value, 2)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{num(f.weight, 2)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{signed(f.contribution, 3)}</td>
                <td className="min-w-64 py-1 break-words text-slate-600">{f.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
