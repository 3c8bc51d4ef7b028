import type { ReactNode } from "react";

/** Says why the controls are missing, instead of leaving people to wonder. */
export function ReadOnlyNote({ children }: { children: ReactNode }) {
  return (
    <p className="mb-4 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="read-only-note">
      {children}
    </p>
  );
}
