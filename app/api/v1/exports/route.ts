import { route } from "@/lib/http/route";
import { createExport, listExports } from "@/lib/etl/manage-exports";
import { ZCreateExportInput } from "@/lib/etl/schemas";

export const GET = route({ name: "/api/v1/exports" }, ({ actor }) => listExports({ actor }));

export const POST = route({ name: "/api/v1/exports", body: ZCreateExportInput }, async ({ actor, body }) => Response.json(await createExport({ actor, input: body }), { status: 202 }));
