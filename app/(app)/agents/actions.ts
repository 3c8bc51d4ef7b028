"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { env } from "@/lib/env";
import { createCluster, deleteCluster, reissueBootstrapToken } from "@/lib/agents/clusters";
import { controlPlaneUrlFrom, gatewayUrlFor, installCommands, type InstallCommands } from "@/lib/agents/install";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";

export type TokenState = ActionResult<{ name: string; bootstrapToken: string; expiresAt: string; install: InstallCommands }>;
export type DeleteState = ActionResult;

const ZId = z.object({ id: z.string().uuid() });

async function controlPlaneUrl(): Promise<string> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return controlPlaneUrlFrom({ publicUrl: env().NEURALOPS_PUBLIC_URL, nextauthUrl: env().NEXTAUTH_URL, requestOrigin: `${proto}://${h.get("x-forwarded-host") ?? h.get("host")}` });
}

async function withInstall(r: { cluster: { name: string; bootstrapExpiresAt: Date | null }; bootstrapToken: string }): Promise<TokenState> {
  const url = await controlPlaneUrl();
  return {
    ok: true,
    name: r.cluster.name,
    bootstrapToken: r.bootstrapToken,
    expiresAt: r.cluster.bootstrapExpiresAt!.toISOString(),
    install: installCommands({
      controlPlaneUrl: url,
      gatewayUrl: gatewayUrlFor(url, env().AGENT_GATEWAY_PUBLIC_URL),
      bootstrapToken: r.bootstrapToken,
      chart: env().NEURALOPS_AGENT_CHART,
      manifestsUrl: env().NEURALOPS_AGENT_MANIFESTS_URL,
    }),
  };
}

export async function createClusterAction(_prev: TokenState, formData: FormData): Promise<TokenState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["name"]);
  try {
    const created = await createCluster({ actor, input: { name: values.name ?? "" }, meta: { source: "web" } });
    revalidatePath("/agents");
    return withInstall(created);
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function reissueTokenAction(_prev: TokenState, formData: FormData): Promise<TokenState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { id } = ZId.parse(formValues(formData, ["id"]));
    const issued = await reissueBootstrapToken({ actor, id, meta: { source: "web" } });
    revalidatePath("/agents");
    return withInstall(issued);
  } catch (err) {
    return toActionError(err);
  }
}

export async function deleteClusterAction(_prev: DeleteState, formData: FormData): Promise<DeleteState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { id } = ZId.parse(formValues(formData, ["id"]));
    await deleteCluster({ actor, id, meta: { source: "web" } });
    revalidatePath("/agents");
    return { ok: true };
  } catch (err) {
    return toActionError(err);
  }
}
