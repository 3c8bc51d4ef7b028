import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ComingLater } from "@/components/coming-later";

export const metadata: Metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <>
      <PageHeader title="Integrations" />
      <ComingLater>Connected monitoring, alerting and chat tools will be listed here, with their status and when each one last delivered data.</ComingLater>
    </>
  );
}
