import { route } from "@/lib/http/route";
import { listPlaybooks } from "@/lib/playbooks/list-playbooks";
import { uploadPlaybook, ZUploadPlaybookInput } from "@/lib/playbooks/save-playbook";

export const GET = route({ name: "/api/v1/playbooks", permission: "playbooks.read" }, ({ actor }) => listPlaybooks({ actor }));

export const POST = route({ name: "/api/v1/playbooks", permission: "playbooks.manage", body: ZUploadPlaybookInput }, async ({ actor, body }) => {
  const saved = await uploadPlaybook({ actor, input: body });
  return Response.json(saved, { status: saved.created ? 201 : 200 });
});
