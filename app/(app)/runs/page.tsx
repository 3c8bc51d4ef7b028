import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ComingLater } from "@/components/coming-later";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" />
      <ComingLater>Playbook runs will be listed here with their status, who requested and approved them, their timings and step-by-step output.</ComingLater>
    </>
  );
}
