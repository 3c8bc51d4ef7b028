import type { ReactNode } from "react";

const tones = {
  error: "border-red-200 bg-red-50 text-red-800",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  info: "border-slate-200 bg-slate-50 text-slate-700",
} as const;

export function Alert({ tone = "info", children, role, className = "" }: { tone?: keyof typeof tones; children: ReactNode; role?: "alert" | "status"; className?: string }) {
  return (
    <div role={role} className={`rounded-md border px-3 py-2 text-sm ${tones[tone]} ${className}`}>
      {children}
    </div>
  );
}
