import type { ReactNode } from "react";
import { OncallTabs } from "./_components/oncall-tabs";

const TABS = [
  { href: "/oncall/schedules", label: "Schedules" },
  { href: "/oncall/policies", label: "Escalation policies" },
  { href: "/oncall/routes", label: "Routes" },
  { href: "/oncall/silences", label: "Silences" },
  { href: "/oncall/inhibitions", label: "Inhibition rules" },
  { href: "/oncall/channels", label: "Channels" },
];

export default function OncallLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <OncallTabs tabs={TABS} />
      {children}
    </>
  );
}
