"use client";

// The sidebar: always shown from md up; on a narrow screen folded behind a Menu button so the page gets the
// width, and folded again after each navigation.
import { useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";

export function CollapsibleNav({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [openAt, setOpenAt] = useState<string | null>(null);
  // Open only on the page where it was opened: navigating folds it without an effect.
  const open = openAt !== null && openAt === pathname;
  return (
    <nav aria-label="Main" className="shrink-0 border-b border-slate-200 bg-white px-2 py-2 md:w-52 md:border-r md:border-b-0 md:py-3">
      <button
        type="button"
        className="flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 md:hidden"
        aria-expanded={open}
        aria-controls="main-nav-list"
        onClick={() => setOpenAt(open ? null : pathname)}
      >
        <span aria-hidden="true">{open ? "✕" : "☰"}</span>
        Menu
      </button>
      <div id="main-nav-list" className={`${open ? "block" : "hidden"} mt-1 md:mt-0 md:block`}>
        {children}
      </div>
    </nav>
  );
}
