import { z } from "zod";
import { route } from "@/lib/http/route";
import { getPlaybook } from "@/lib/playbooks/list-playbooks";

export const GET = route({ name: "/api/v1/playbooks/[name]", permission: "playbooks.read", params: z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }) }, ({ actor, params }) =>
  getPlaybook({ actor, name: params.name }),
);
