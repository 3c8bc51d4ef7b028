"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { env } from "@/lib/env";
import { createCluster, deleteCluster, reissueBootstrapToken } from "@/lib/agents/clusters";
import { controlPlaneUrlFrom, gatewayUrlFor, installCommands, type InstallCommands } from "@/lib/agents/install";
import type { ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

type TokenFields = { name: string; bootstrapToken: string; expiresAt: string; install: InstallCommands };
export type TokenState = ActionResult<TokenFields>;
export type DeleteState = ActionResult;

const ZId = z.object({ id: z.string().uuid() });

async function controlPlaneUrl(): Promise<string> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return controlPlaneUrlFrom({ publicUrl: env().NEURALOPS_PUBLIC_URL, nextauthUrl: env().NEXTAUTH_URL, requestOrigin: `${proto}://${h.get("x-forwarded-host") ?? h.get("host")}` });
}

async function withInstall(r: { cluster: { name: string; bootstrapExpiresAt: Date | null }; bootstrapToken: string }): Promise<TokenFields> {
  const url = await controlPlaneUrl();
  return {
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

export const createClusterAction = serverAction<TokenFields>(
  async ({ actor, values }) => {
    const created = await createCluster({ actor, input: { name: values.name ?? "" }, meta: { source: "web" } });
    revalidatePath("/agents");
    return withInstall(created);
  },
  { fields: ["name"], echo: true },
);

export const reissueTokenAction = serverAction<TokenFields>(
  async ({ actor, values }) => {
    const { id } = ZId.parse(values);
    const issued = await reissueBootstrapToken({ actor, id, meta: { source: "web" } });
    revalidatePath("/agents");
    return withInstall(issued);
  },
  { fields: ["id"] },
);

export const deleteClusterAction = serverAction(
  async ({ actor, values }) => {
    const { id } = ZId.parse(values);
    await deleteCluster({ actor, id, meta: { source: "web" } });
    revalidatePath("/agents");
  },
  { fields: ["id"] },
);
