import { timingSafeEqual } from "node:crypto";
import { route } from "@/lib/http/route";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

// Prometheus scrape endpoint. Open by default (bind to a private network); set METRICS_TOKEN to require
// `Authorization: Bearer <METRICS_TOKEN>` (Prometheus scrape_config `authorization`).
export const GET = route({ name: "/api/metrics", auth: false }, async ({ req }) => {
  const expected = process.env.METRICS_TOKEN;
  if (expected) {
    const given = Buffer.from(req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw new AppError("unauthenticated", "metrics token required");
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
});
