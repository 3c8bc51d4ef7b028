import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ComingLater } from "@/components/coming-later";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader title="Approvals" />
      <ComingLater>Runs that wait for a human decision will be listed here: who requested them, which playbook and target, the dry-run result, and Approve / Reject actions for people with the approver role.</ComingLater>
    </>
  );
}
