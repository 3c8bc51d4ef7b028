import { z } from "zod";
import { route } from "@/lib/http/route";
import { openExportDownload } from "@/lib/etl/manage-exports";

export const GET = route({ name: "/api/v1/exports/[id]/download", permission: "exports.read", params: z.object({ id: z.string().uuid() }) }, async ({ actor, params }) => {
  const file = await openExportDownload({ actor, id: params.id });
  return new Response(file.body, {
    headers: {
      "content-type": file.gzip ? "application/gzip" : "application/x-ndjson",
      "content-length": String(file.size),
      "content-disposition": `attachment; filename="${file.fileName}"`,
      ...(file.sha256 ? { "x-content-sha256": file.sha256 } : {}),
    },
  });
});
