// Outbound HTTP for the http and notify actions. The one place that decides what a failed request means
// for a retry: it never reached the target (NotSentError), it will not get better (PermanentActionError),
// or it may succeed later (plain Error).
import { EgressDeniedError, egressFetch, type EgressGuard } from "@/lib/egress/fetch";
import { DENY_ALL } from "@/lib/egress/policy";
import { NotSentError, PermanentActionError } from "./types";

/** Response bodies kept in results: outputs are stored as JSON with every step of every run. */
export const MAX_BODY_BYTES = 4096;

export type OutboundRequest = {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Statuses that count as success; any 2xx when omitted. */
  expectStatus?: readonly number[];
  signal: AbortSignal;
  /** The org's egress policy, enforced after DNS resolution. Absent: every destination is denied. */
  egress: EgressGuard | undefined;
  /** How the target is named in errors, e.g. "POST https://api.example.com/x" or "Slack (hooks.slack.com)". */
  label: string;
};

export type OutboundResponse = { status: number; body: string; truncated: boolean };

// Failures before a connection exists: the target cannot have seen the request.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** Parses a step's URL; a malformed or non-http(s) URL will be just as wrong on every retry. */
export function targetUrl(raw: string, what = `URL '${displayUrl(raw)}'`): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PermanentActionError(`${what} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new PermanentActionError(`${what} must be http or https, not ${url.protocol.slice(0, -1)}`);
  return url;
}

/**
 * The URL as written minus any `user:password@`. Not re-serialised through `URL`: its normalisation could
 * percent-encode part of a secret rendered into the URL, and the orchestrator only scrubs exact values.
 */
export function displayUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

/** "(123-byte JSON body)", or "" without a body. For plan summaries. */
export function describeBody(body: string | undefined, json: boolean): string {
  return body === undefined ? "" : ` (${Buffer.byteLength(body, "utf8")}-byte ${json ? "JSON " : ""}body)`;
}

// Header names whose values are credentials: shown in plans only as the orchestrator's secret placeholders.
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|password|signature/i;

/** Headers for a plan: a credential written literally into the playbook is not repeated to approvers. */
export function planHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, CREDENTIAL_HEADER.test(k) && !v.includes("«secret:") ? "«hidden»" : v]));
}

export async function send(req: OutboundRequest): Promise<OutboundResponse> {
  // Nothing has been sent yet, so even a non-idempotent step may safely run again.
  if (req.signal.aborted) throw new NotSentError(`${req.label}: aborted before sending`);
  let res: Response;
  try {
    // Redirects are never followed (egressFetch does not): a redirect means a stale URL, and following
    // it would re-send credential headers to wherever it points and turn a POST into a GET.
    res = await egressFetch(req.url, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }), signal: req.signal }, req.egress ?? { policy: DENY_ALL });
  } catch (e) {
    throw fetchFailure(req, e);
  }
  const { text, truncated } = await readCapped(res, req.method === "HEAD" ? 0 : MAX_BODY_BYTES);
  const ok = req.expectStatus ? req.expectStatus.includes(res.status) : res.status >= 200 && res.status < 300;
  if (ok) return { status: res.status, body: text, truncated };
  throw statusFailure(req, res, text);
}

function fetchFailure(req: OutboundRequest, e: unknown): Error {
  if (e instanceof EgressDeniedError) return new PermanentActionError(`${req.label}: ${e.message}`);
  if (req.signal.aborted) return new Error(`${req.label}: aborted (step timeout or shutdown) before an answer arrived`, { cause: e });
  const cause = (e as { cause?: unknown }).cause;
  const codes = errorCodes(cause);
  const reason = codes.length ? codes.join(", ") : cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e);
  if (codes.length && codes.every((c) => NOT_SENT_CODES.has(c))) return new NotSentError(`${req.label}: could not connect (${reason})`);
  // fetch refuses ports it considers unsafe (e.g. 25, 6000) on every attempt.
  if (cause instanceof Error && cause.message === "bad port") return new PermanentActionError(`${req.label}: fetch refuses to connect to port ${req.url.port}`);
  return new Error(`${req.label}: request failed (${reason})`, { cause: e });
}

/** The socket error codes behind an undici failure; happy-eyeballs connects wrap one per address. */
function errorCodes(cause: unknown): string[] {
  if (!cause || typeof cause !== "object") return [];
  const { code, errors } = cause as { code?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length) return errors.flatMap(errorCodes);
  return typeof code === "string" ? [code] : [];
}

function statusFailure(req: OutboundRequest, res: Response, body: string): Error {
  const status = res.status;
  const snippet = body.slice(0, 300).replace(/\s+/g, " ").trim();
  const message = `${req.label} answered HTTP ${status}${snippet ? `: ${snippet}` : ""}`;
  // 408 and 429 ask us to come back later; 5xx may be a deploy or an overload that passes.
  if (status === 408 || status === 429 || status >= 500) return new Error(message);
  if (status >= 300 && status < 400) {
    const to = res.headers.get("location");
    return new PermanentActionError(`${req.label} answered with a redirect (HTTP ${status}${to ? ` to ${displayUrl(to)}` : ""}); use the final URL`, { status });
  }
  // Other 4xx, and a 2xx outside expectStatus: the target has decided, asking again will not change it.
  return new PermanentActionError(message, { status, body });
}

/** The body as text, at most maxBytes of it; the rest is not downloaded. A body cut off mid-read counts as truncated. */
async function readCapped(res: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: "", truncated: false };
  const reader = res.body.getReader();
  // `stream: true` without a final flush drops a multi-byte character cut in half at the limit.
  const decoder = new TextDecoder();
  let text = "";
  let kept = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, truncated: false };
      const room = maxBytes - kept;
      text += decoder.decode(value.subarray(0, room), { stream: true });
      kept += Math.min(room, value.byteLength);
      if (value.byteLength > room) {
        await reader.cancel().catch(() => undefined);
        return { text, truncated: true };
      }
    }
  } catch {
    // The status already says what happened at the target; a broken body does not change that.
    return { text, truncated: true };
  }
}
