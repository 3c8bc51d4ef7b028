"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/**
 * A sidebar link that marks itself aria-current="page" on its own route. `exact` links match only their
 * path; the others also match their sub-pages (e.g. /incidents/123).
 */
export function NavLink({ href, exact = false, children }: { href: string; exact?: boolean; children: ReactNode }) {
  const pathname = usePathname() ?? "";
  const current = pathname === href || (!exact && href !== "/" && pathname.startsWith(`${href}/`));
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`flex items-center rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors ${
        current ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
      }`}
    >
      {children}
    </Link>
  );
}
