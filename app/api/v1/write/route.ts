import { route } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { ingestRemoteWrite, MAX_REMOTE_WRITE_BODY } from "@/lib/monitors/ingest-remote-write";

// Prometheus remote_write 1.0 receiver (snappy-compressed protobuf). Authenticate Prometheus with a
// token scoped to signals.ingest (remote_write.authorization in prometheus.yml).
export const POST = route({ name: "/api/v1/write" }, async ({ actor, req }) => {
  const type = req.headers.get("content-type") ?? "";
  if (type && !type.startsWith("application/x-protobuf")) throw new AppError("unsupported_media_type", "expected Content-Type: application/x-protobuf");
  const encoding = req.headers.get("content-encoding");
  if (encoding && encoding !== "snappy") throw new AppError("unsupported_media_type", "expected Content-Encoding: snappy");
  if (Number(req.headers.get("content-length") ?? 0) > MAX_REMOTE_WRITE_BODY) throw new AppError("payload_too_large", `body over ${MAX_REMOTE_WRITE_BODY} bytes`);
  const body = new Uint8Array(await req.arrayBuffer());
  if (body.length > MAX_REMOTE_WRITE_BODY) throw new AppError("payload_too_large", `body over ${MAX_REMOTE_WRITE_BODY} bytes`);
  return ingestRemoteWrite({ actor, body });
});
