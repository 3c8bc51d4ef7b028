import type { ReactNode } from "react";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { countRuns } from "@/lib/orchestrator/list-runs";
import { NavLink } from "@/components/nav-link";
import { CollapsibleNav } from "@/components/collapsible-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { Badge } from "@/components/ui/badge";

const NAV: { href: string; label: string; exact?: boolean }[] = [
  { href: "/", label: "Overview", exact: true },
  { href: "/incidents", label: "Incidents" },
  { href: "/oncall", label: "On-call" },
  { href: "/monitors", label: "Monitors" },
  { href: "/approvals", label: "Approvals" },
  { href: "/runs", label: "Runs" },
  { href: "/playbooks", label: "Playbooks" },
  { href: "/audit", label: "Audit" },
  { href: "/exports", label: "Exports" },
  { href: "/integrations", label: "Integrations" },
  { href: "/agents", label: "Agents" },
  // Exact, so that /settings/users marks only "Users".
  { href: "/settings", label: "Settings", exact: true },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  // For people who decide on runs: how many wait for a decision (shown next to Approvals).
  const waiting = can(actor, "runs.approve") ? await countRuns({ actor, status: "awaiting_approval" }) : 0;

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-10 flex h-12 shrink-0 items-center justify-between border-b border-slate-200 bg-white px-4">
        <div className="flex items-center gap-3">
          <Link href="/" className="flex items-center gap-1.5 rounded font-semibold tracking-tight text-slate-900">
            <span className="text-indigo-600" aria-hidden="true">
              ◆
            </span>
            NeuralOps
          </Link>
          <span className="hidden h-5 w-px bg-slate-200 sm:block" aria-hidden="true" />
          <span className="hidden text-sm text-slate-600 sm:inline">
            <span className="sr-only">Organization: </span>
            <span className="font-medium text-slate-800" data-testid="org-slug">
              {actor.orgSlug}
            </span>
          </span>
        </div>
        <div className="flex items-center gap-3">
          <span className="hidden truncate text-sm text-slate-700 sm:inline" data-testid="user-email">
            <span className="sr-only">Signed in as </span>
            {actor.email}
          </span>
          <Badge tone="accent">
            <span className="sr-only">Role: </span>
            <span data-testid="user-role">{actor.role}</span>
          </Badge>
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <CollapsibleNav>
          <ul className="space-y-0.5">
            {NAV.map((item) => (
              <li key={item.href} className="relative">
                <NavLink href={item.href} exact={item.exact}>
                  {item.label}
                </NavLink>
                {/* Beside the link, not inside it, so the link's name stays "Approvals". */}
                {item.href === "/approvals" && waiting > 0 ? (
                  <span className="pointer-events-none absolute top-1.5 right-2 rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-900 tabular-nums" data-testid="approvals-waiting">
                    {waiting >= 100 ? "99+" : waiting}
                    <span className="sr-only"> {waiting === 1 ? "run waits" : "runs wait"} for approval</span>
                  </span>
                ) : null}
              </li>
            ))}
            {can(actor, "users.manage") ? (
              <li>
                <NavLink href="/settings/users">Users</NavLink>
              </li>
            ) : null}
            {can(actor, "keys.manage") ? (
              <li>
                <NavLink href="/settings/keys">Signing keys &amp; policy</NavLink>
              </li>
            ) : null}
          </ul>
        </CollapsibleNav>
        <main id="main" className="min-w-0 flex-1 px-4 py-5 md:px-6">
          {children}
        </main>
      </div>
    </div>
  );
}
