"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { ZCreateTokenInput } from "@/lib/tokens/schemas";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";

// The form offers name, role and service; scopes and expiry stay at their defaults (whole role, no expiry).
const ZCreateTokenForm = ZCreateTokenInput.pick({ name: true, role: true }).extend({ service: z.literal("true").optional().transform((v) => v === "true") });
const ZRevokeTokenForm = z.object({ id: z.string().uuid() });

export type CreateTokenState = ActionResult<{ token: string; name: string; prefix: string; role: string }>;
export type RevokeTokenState = ActionResult;

export async function createTokenAction(_prev: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["name", "role", "service"]);
  try {
    const input = ZCreateTokenForm.parse(values);
    const created = await createApiToken({ actor, input, meta: { source: "web" } });
    revalidatePath("/settings");
    return { ok: true, token: created.token, name: created.name, prefix: created.prefix, role: created.role };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function revokeTokenAction(_prev: RevokeTokenState, formData: FormData): Promise<RevokeTokenState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { id } = ZRevokeTokenForm.parse(formValues(formData, ["id"]));
    await revokeApiToken({ actor, id });
    revalidatePath("/settings");
    return { ok: true };
  } catch (err) {
    return toActionError(err);
  }
}
