import { z } from "zod";
import { route } from "@/lib/http/route";
import { getExport } from "@/lib/etl/manage-exports";

export const GET = route({ name: "/api/v1/exports/[id]", permission: "exports.read", params: z.object({ id: z.string().uuid() }) }, ({ actor, params }) => getExport({ actor, id: params.id }));
