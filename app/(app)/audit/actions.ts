"use server";

import { revalidatePath } from "next/cache";
import { getSessionActor } from "@/lib/auth/get-actor";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import type { ChainVerdict } from "@/lib/audit/verify-audit-chain";
import { notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";

export type VerifyChainState = ActionResult<{ verdict: ChainVerdict }>;

/** Verifies the org's audit chain; the result is recorded (the overview's audit card shows the latest). */
export async function verifyChainAction(_prev: VerifyChainState, _formData: FormData): Promise<VerifyChainState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const verdict = await checkAuditChain({ actor });
    revalidatePath("/");
    return { ok: true, verdict };
  } catch (err) {
    return toActionError(err);
  }
}
