import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";

/** The page in place of one the actor's role does not reach; `children` says which role it needs. */
export function Forbidden({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Forbidden" />
      <p className="text-sm text-slate-700">{children}</p>
    </>
  );
}
