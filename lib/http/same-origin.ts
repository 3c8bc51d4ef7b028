// CSRF defence for cookie-authenticated writes. A browser attaches the session cookie to any request to
// us, including a form or fetch from a foreign page, but it always says where that request came from
// in Origin (every non-GET fetch and form post), or at least in Referer. So a state-changing request
// authenticated by the cookie must name our own origin there. Bearer tokens are never attached by the
// browser on its own, so token requests are not checked.
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";

export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const o = new URL(url).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

/** The origins configured as the app's own (the public URL users browse to). */
function configuredOrigins(): string[] {
  const { NEXTAUTH_URL, NEURALOPS_PUBLIC_URL } = env();
  return [NEXTAUTH_URL, NEURALOPS_PUBLIC_URL].map(originOf).filter((o): o is string => o !== null);
}

/**
 * Same origin as the host the request reached: a reverse proxy passes the browser's host in
 * X-Forwarded-Host, else Host. A foreign page cannot set either on a request it makes a browser send.
 */
function sameHost(origin: string, req: Request): boolean {
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || new URL(req.url).host;
  return new URL(origin).host === host.toLowerCase();
}

export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  const claimed = origin !== null ? originOf(origin) : originOf(req.headers.get("referer"));
  if (claimed && (configuredOrigins().includes(claimed) || sameHost(claimed, req))) return;
  const from = origin ?? req.headers.get("referer");
  throw new AppError(
    "forbidden",
    `cross-site request refused: a request signed in with the session cookie must come from this app's own pages (${from ? `it came from ${originOf(from) ?? "an opaque origin"}` : "it named no Origin or Referer"}); API clients should send 'Authorization: Bearer <token>'`,
  );
}
