// A fetch for playbook steps that enforces the org's egress policy where it matters: after DNS. The
// host is checked, the name resolved once, every resolved address checked, and the socket connects to
// those checked addresses only (a pinned lookup), so a name that answers differently the second time
// (DNS rebinding) cannot steer the request to the metadata service or a private network. TLS still
// verifies the certificate against the name. Built on node:http(s), which never follows redirects.
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { checkAddress, checkHost, type EgressPolicy } from "@/lib/egress/policy";

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Name → every address it has. Injected by tests; dns.lookup (the system resolver) by default. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type EgressGuard = { policy: EgressPolicy; resolve?: Resolver };

/** The policy refused the destination: nothing was sent, and asking again will not change that. */
export class EgressDeniedError extends Error {
  constructor(readonly host: string, readonly reason: string) {
    super(`egress policy denies ${host}: ${reason}`);
    this.name = "EgressDeniedError";
  }
}

const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** The checked addresses of a URL's host; throws EgressDeniedError, or a fetch-style TypeError when the name does not resolve. */
export async function resolveAllowed(url: URL, guard: EgressGuard): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const verdict = checkHost(host, guard.policy);
  if (!verdict.allowed) throw new EgressDeniedError(host, verdict.reason);
  if (isIP(host)) return [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  let addresses: ResolvedAddress[];
  try {
    addresses = await (guard.resolve ?? systemResolver)(host);
  } catch (e) {
    throw new TypeError("fetch failed", { cause: e });
  }
  if (!addresses.length) throw new TypeError("fetch failed", { cause: Object.assign(new Error(`${host} has no addresses`), { code: "ENOTFOUND" }) });
  for (const { address } of addresses) {
    const v = checkAddress(address, guard.policy);
    if (!v.allowed) throw new EgressDeniedError(host, `it resolves to ${v.reason}`);
  }
  return addresses;
}

function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** `fetch(input, init)` under the guard. Same contract as fetch for what callers here use: status, headers, streamed body, signal. */
export async function egressFetch(input: string | URL, init: RequestInit, guard: EgressGuard): Promise<Response> {
  const url = new URL(String(input));
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`unsupported protocol ${url.protocol}`);
  // Request normalizes headers and any body type (string, URLSearchParams…) the way fetch would.
  const req = new Request(url, { method: init.method ?? "GET", headers: init.headers ?? {}, ...(init.body != null ? { body: init.body } : {}) });
  const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
  const addresses = await resolveAllowed(url, guard);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  const headers: Record<string, string> = Object.fromEntries(req.headers);
  if (body) headers["content-length"] = String(body.length);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const r = request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers,
        lookup: pinnedLookup(addresses),
        agent: false,
        ...(signal ? { signal } : {}),
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          try {
            responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          } catch {
            // A header value fetch would reject too; the rest of the answer is still useful.
          }
        }
        const empty = NULL_BODY.has(status) || req.method === "HEAD";
        if (empty) res.resume();
        try {
          resolve(new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status, statusText: res.statusMessage ?? "", headers: responseHeaders }));
        } catch (e) {
          res.destroy();
          reject(new TypeError("fetch failed", { cause: e }));
        }
      },
    );
    r.on("error", (e) => reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: e })));
    r.end(body);
  });
}

/** A `typeof fetch` bound to a guard, for clients that take a fetch implementation. */
export function guardedFetch(guard: EgressGuard): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => egressFetch(input instanceof Request ? input.url : input, init ?? {}, guard)) as typeof fetch;
}
