// Web-process bootstrap (Next calls register() once per server process, before it serves requests).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseTrustedProxies } = await import("@/lib/auth/client-ip");
  const { installPeerAddressHeader } = await import("@/lib/auth/peer-address");
  // A typo in TRUSTED_PROXIES stops the server here rather than failing every login later.
  parseTrustedProxies(process.env.TRUSTED_PROXIES);
  installPeerAddressHeader();
  // Ingest routes (the Alertmanager webhook) answered without Next's router: lib/http/fast-routes.ts.
  const { installFastRoutes } = await import("@/lib/http/fast-routes");
  installFastRoutes();
}
