"use server";

import { revalidatePath } from "next/cache";
import { checkAuditChain } from "@/lib/audit/check-audit-chain";
import type { ChainVerdict } from "@/lib/audit/verify-audit-chain";
import type { ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

export type VerifyChainState = ActionResult<{ verdict: ChainVerdict }>;

/** Verifies the org's audit chain; the result is recorded (the overview's audit card shows the latest). */
export const verifyChainAction = serverAction(async ({ actor }) => {
  const verdict = await checkAuditChain({ actor });
  revalidatePath("/");
  return { verdict };
});
