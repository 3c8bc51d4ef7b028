import { z } from "zod";
import { route } from "@/lib/http/route";
import { getPlaybook } from "@/lib/playbooks/list-playbooks";
import { PLAYBOOK_NAME_RE } from "@/lib/playbooks/schema";

export const GET = route({ name: "/api/v1/playbooks/[name]", permission: "playbooks.read", params: z.object({ name: z.string().regex(PLAYBOOK_NAME_RE) }) }, ({ actor, params }) =>
  getPlaybook({ actor, name: params.name }),
);
