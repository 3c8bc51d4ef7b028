// Coarse routing only: tag each request with an id, give each page its Content-Security-Policy (with a fresh
// nonce, lib/security/csp.ts), and send signed-out browsers to /login.
// It never decides authorization: it can be bypassed, and it cannot see the resource (assertCan does).
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/security/csp";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function proxy(req: NextRequest) {
  const requestId = req.headers.get("x-request-id") ?? crypto.randomUUID();
  const headers = new Headers(req.headers);
  headers.set("x-request-id", requestId);
  const { pathname, search } = req.nextUrl;
  // The login page, invitation links and notifications' one-time action links are for people who are
  // not signed in (yet, or on that device).
  const isPage = pathname !== "/login" && !pathname.startsWith("/invite/") && !pathname.startsWith("/oncall/act/");
  if (isPage && !SESSION_COOKIES.some((c) => req.cookies.has(c))) {
    const url = req.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  const csp = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development" });
  // On the request too: that is where Next's renderer finds the nonce for its own inline scripts.
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // Pages only: API routes authenticate themselves (lib/http/route.ts) and set their own request id,
  // and running the proxy on every webhook/remote_write call would only add latency.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|css|js|txt|webmanifest)$).*)"],
};
