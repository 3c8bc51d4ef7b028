import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ComingLater } from "@/components/coming-later";

export const metadata: Metadata = { title: "Playbooks" };

export default function PlaybooksPage() {
  return (
    <>
      <PageHeader title="Playbooks" />
      <ComingLater>The remediation playbooks your organization can run will be listed here, with their parameters, the approvals they require and their version history.</ComingLater>
    </>
  );
}
