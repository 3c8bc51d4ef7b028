import { z } from "zod";
import { route } from "@/lib/http/route";
import { listRunNotifications } from "@/lib/oncall/list-notifications";

// Who was asked to approve the run (lib/oncall/page-approvers.ts), when, and how each request went.
export const GET = route({ name: "/api/v1/runs/[id]/notifications", permission: "runs.read", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) =>
  listRunNotifications({ actor, id: params.id }),
);
