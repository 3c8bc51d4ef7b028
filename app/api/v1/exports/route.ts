import { route } from "@/lib/http/route";
import { createExport, listExports } from "@/lib/etl/manage-exports";
import { ZCreateExportInput } from "@/lib/etl/schemas";

export const GET = route({ name: "/api/v1/exports", permission: "exports.read" }, ({ actor }) => listExports({ actor }));

export const POST = route({ name: "/api/v1/exports", permission: "exports.create", body: ZCreateExportInput }, async ({ actor, body }) => Response.json(await createExport({ actor, input: body }), { status: 202 }));
