"use server";

import { revalidatePath } from "next/cache";
import { getSessionActor } from "@/lib/auth/get-actor";
import { syncCatalog } from "@/lib/playbooks/save-playbook";
import { notSignedIn, toActionError, type ActionResult } from "../_lib/action-result";

export type SyncResult = { file: string; name?: string; version?: number; digest?: string; created?: boolean; error?: string };
export type SyncCatalogState = ActionResult<{ results: SyncResult[] }>;

export async function syncCatalogAction(_prev: SyncCatalogState, _formData: FormData): Promise<SyncCatalogState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const results = await syncCatalog({ actor });
    revalidatePath("/playbooks", "layout");
    return { ok: true, results };
  } catch (err) {
    return toActionError(err);
  }
}
