import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listPolicies } from "@/lib/oncall/manage-policies";
import { listRoutes } from "@/lib/oncall/manage-routes";
import { PageHeader } from "@/components/page-header";
import { Forbidden } from "@/components/forbidden";
import { BackLink } from "@/components/ui/back-link";
import { RouteForm } from "../_components/route-form";

export const metadata: Metadata = { title: "Edit route" };

export default async function EditRoutePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const parsed = z.object({ id: z.string().uuid() }).safeParse(await params);
  if (!parsed.success) notFound();
  if (!can(actor, "oncall.manage")) return <Forbidden>Only admins change routes.</Forbidden>;
  const [routes, policies] = await Promise.all([listRoutes({ actor }), listPolicies({ actor })]);
  const route = routes.find((r) => r.id === parsed.data.id);
  if (!route) notFound();
  return (
    <>
      <BackLink href="/oncall/routes">Routes</BackLink>
      <PageHeader title={`Edit route ${route.name}`} />
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <RouteForm initial={{ id: route.id, name: route.name, matchers: route.matchers, policy: route.policy, isDefault: route.isDefault, enabled: route.enabled }} policies={policies} />
      </div>
    </>
  );
}
