// Stamps every incoming HTTP request with the TCP peer's address (PEER_HEADER), replacing whatever a client put
// in that header. Next route handlers see only headers, and `next start` keeps a client-sent X-Forwarded-For
// instead of the socket address, so without this the login throttle could not tell who is asking.
// Installed once per web process from instrumentation.ts (register() runs before the first request).
import http from "node:http";
import https from "node:https";
import { PEER_HEADER } from "@/lib/auth/client-ip";

const INSTALLED = Symbol.for("neuralops.peerAddressHeader");

export function installPeerAddressHeader(): void {
  for (const proto of [http.Server.prototype, https.Server.prototype] as Array<{ emit: (event: string | symbol, ...args: unknown[]) => boolean; [INSTALLED]?: true }>) {
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request") stamp(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    };
    proto[INSTALLED] = true;
  }
}

/** Exported for the unit test. */
export function stamp(req: http.IncomingMessage): void {
  const addr = req.socket?.remoteAddress;
  if (addr) req.headers[PEER_HEADER] = addr;
  else delete req.headers[PEER_HEADER];
}
