import type { ReactNode } from "react";

/** An honest placeholder for an area that is not built yet: what will be here, and no made-up data. */
export function ComingLater({ children }: { children: ReactNode }) {
  return (
    <div className="max-w-2xl rounded-lg border border-dashed border-slate-300 bg-white px-5 py-6">
      <p className="text-sm text-slate-700">{children}</p>
      <p className="mt-3 text-sm font-medium text-slate-900">This page arrives with a later release; nothing is shown here yet.</p>
    </div>
  );
}
