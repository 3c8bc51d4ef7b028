import { route } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { readBody } from "@/lib/http/read-body";
import { ingestAdmission } from "@/lib/http/admission";
import { registerFastRoute } from "@/lib/http/fast-routes";
import { assertRemoteWriteBudget, ingestRemoteWrite, MAX_REMOTE_WRITE_BODY } from "@/lib/monitors/ingest-remote-write";

// Prometheus remote_write 1.0 receiver (snappy-compressed protobuf). Authenticate Prometheus with a
// token scoped to signals.ingest (remote_write.authorization in prometheus.yml).
// Past this process's ingest capacity, or with PostgreSQL or Redis down: 503 + Retry-After (Prometheus retries 5xx).
export const POST = route({ name: "/api/v1/write", permission: "signals.ingest", ingest: { admission: ingestAdmission } }, async ({ actor, req }) => {
  const type = req.headers.get("content-type") ?? "";
  if (type && !type.startsWith("application/x-protobuf")) throw new AppError("unsupported_media_type", "expected Content-Type: application/x-protobuf");
  const encoding = req.headers.get("content-encoding");
  if (encoding && encoding !== "snappy") throw new AppError("unsupported_media_type", "expected Content-Encoding: snappy");
  // A token over its samples-per-second budget is refused before its body is read.
  await assertRemoteWriteBudget(actor);
  const body = await readBody(req, MAX_REMOTE_WRITE_BODY);
  return ingestRemoteWrite({ actor, body });
});

// Token-authenticated pushes skip Next's router once this module is loaded (lib/http/fast-routes.ts).
registerFastRoute("POST", "/api/v1/write", POST, { maxBodyBytes: MAX_REMOTE_WRITE_BODY });
