/**
 * Every failure of a Prometheus call, classified by what the caller should do about it:
 *
 * - `bad_query`   the query (or its range/step) is wrong or too big: show the message, do not retry.
 * - `auth`        401/403: the configured credentials are wrong or missing.
 * - `unavailable` network error, 5xx, 429, overloaded server: retry later with backoff.
 * - `timeout`     our deadline or Prometheus' own query timeout expired: retry later / narrow the query.
 * - `protocol`    the server answered something that is not the Prometheus HTTP API (wrong URL,
 *                 a proxy's HTML page, a redirect, invalid JSON or an unexpected shape).
 */
export type PrometheusErrorKind = "bad_query" | "unavailable" | "timeout" | "auth" | "protocol";

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Prometheus' `errorType` (bad_data, execution, timeout, canceled, internal, unavailable…), when it sent one. */
  readonly errorType?: string;

  constructor(kind: PrometheusErrorKind, message: string, opts: { status?: number; errorType?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "PrometheusError";
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.errorType !== undefined) this.errorType = opts.errorType;
  }

  /** Whether trying the same call again later can succeed (a scheduler's backoff decision). */
  get retryable(): boolean {
    return this.kind === "unavailable" || this.kind === "timeout";
  }
}
