"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setPrometheusSource, withoutUserinfo, ZPrometheusSourceInput } from "@/lib/integrations/prometheus-source";
import { createApiToken } from "@/lib/tokens/create-api-token";
import type { ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

export type SavePrometheusState = ActionResult<{ url: string; hasSecret: boolean }>;
export type CreateIngestTokenState = ActionResult<{ token: string; name: string }>;

// The token an integration pushes with: operator rights narrowed to ingesting signals, nothing else.
const INGEST_TOKENS = { alertmanager: "alertmanager", "remote-write": "prometheus-remote-write" } as const;
const ZIngestTokenForm = z.object({ integration: z.enum(Object.keys(INGEST_TOKENS) as [keyof typeof INGEST_TOKENS]) });

export const savePrometheusSourceAction = serverAction(
  async ({ actor, values }) => {
    // An empty secret field means "keep the stored one" (undefined); the lib clears it for authType none.
    const input = ZPrometheusSourceInput.parse({ ...values, username: values.authType === "basic" ? values.username : undefined });
    const saved = await setPrometheusSource({ actor, input });
    revalidatePath("/integrations");
    revalidatePath("/monitors");
    return { url: saved.url, hasSecret: saved.hasSecret };
  },
  {
    fields: ["url", "authType", "username", "secret"],
    // Never echo the secret back to the browser (nor a password typed into the URL, which is refused).
    echo: (values) => ({ url: values.url && withoutUserinfo(values.url), authType: values.authType, username: values.username }),
  },
);

export const createIngestTokenAction = serverAction(
  async ({ actor, values }) => {
    const { integration } = ZIngestTokenForm.parse(values);
    const created = await createApiToken({
      actor,
      // Integrations belong to the org, not to whoever set them up: a service token, ingest only.
      input: { name: INGEST_TOKENS[integration], role: "operator", scopes: ["signals.ingest"], service: true },
      meta: { source: "web" },
    });
    revalidatePath("/settings");
    return { token: created.token, name: created.name };
  },
  { fields: ["integration"] },
);
