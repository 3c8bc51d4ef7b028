"use server";

import { revalidatePath } from "next/cache";
import { syncCatalog } from "@/lib/playbooks/save-playbook";
import type { ActionResult } from "../_lib/action-result";
import { serverAction } from "../_lib/server-action";

export type SyncResult = { file: string; name?: string; version?: number; digest?: string; created?: boolean; error?: string };
export type SyncCatalogState = ActionResult<{ results: SyncResult[] }>;

export const syncCatalogAction = serverAction(async ({ actor }) => {
  const results: SyncResult[] = await syncCatalog({ actor });
  revalidatePath("/playbooks", "layout");
  return { results };
});
