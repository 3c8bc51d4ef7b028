"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { ZCreateTokenInput } from "@/lib/tokens/schemas";
import type { ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

// The form offers name, role and service; scopes and expiry stay at their defaults (whole role, no expiry).
const ZCreateTokenForm = ZCreateTokenInput.pick({ name: true, role: true }).extend({ service: z.literal("true").optional().transform((v) => v === "true") });
const ZRevokeTokenForm = z.object({ id: z.string().uuid() });

export type CreateTokenState = ActionResult<{ token: string; name: string; prefix: string; role: string }>;
export type RevokeTokenState = ActionResult;

export const createTokenAction = serverAction(
  async ({ actor, values }) => {
    const input = ZCreateTokenForm.parse(values);
    const created = await createApiToken({ actor, input, meta: { source: "web" } });
    revalidatePath("/settings");
    return { token: created.token, name: created.name, prefix: created.prefix, role: created.role as string };
  },
  { fields: ["name", "role", "service"], echo: true },
);

export const revokeTokenAction = serverAction(
  async ({ actor, values }) => {
    const { id } = ZRevokeTokenForm.parse(values);
    await revokeApiToken({ actor, id });
    revalidatePath("/settings");
  },
  { fields: ["id"] },
);
