// Is this error "PostgreSQL or Redis cannot be reached right now"? Then the request did not fail on its
// merits: the answer is 503 store_unavailable with Retry-After (Alertmanager and Prometheus retry it, and
// a transaction that failed this way committed nothing), never a 500. Errors come wrapped in several
// layers (Prisma's, its pg adapter's, pg's, ioredis'), so the whole cause chain is examined.
import { AppError } from "@/lib/errors";

/** Long enough for a restarting server to come back; short enough not to pile a backlog up in senders. */
export const STORE_RETRY_AFTER_SECONDS = 2;

// Prisma: P1001 can't reach, P1002 timed out, P1008 socket timeout, P1017 server closed the connection,
// P2024 no pool connection in time, P2037 too many connections.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// @prisma/adapter-pg's error kinds.
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// SQLSTATE: class 08 connection exceptions; 57P01-57P03 the server is shutting down or starting up; 53300 too many connections.
const SQLSTATE = /^(08\w{3}|57P0[1-3]|53300)$/;
const ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const MESSAGES =
  /Connection terminated|Can't reach database server|Server has closed the connection|Client has encountered a connection error|Connection is closed|connect ECONNREFUSED|MaxRetriesPerRequest|Stream isn't writeable|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Timed out fetching a new connection/i;

export function isStoreUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length) {
    const e = stack.pop();
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const o = e as { code?: unknown; kind?: unknown; name?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown };
    if (typeof o.code === "string" && (PRISMA_CODES.has(o.code) || SQLSTATE.test(o.code) || ERRNO.has(o.code))) return true;
    if (typeof o.kind === "string" && ADAPTER_KINDS.has(o.kind)) return true;
    if (o.name === "MaxRetriesPerRequestError") return true;
    if (typeof o.message === "string" && MESSAGES.test(o.message)) return true;
    stack.push(o.cause, o.meta);
    if (o.meta && typeof o.meta === "object") stack.push((o.meta as { driverAdapterError?: unknown }).driverAdapterError);
    if (Array.isArray(o.errors)) stack.push(...o.errors);
  }
  return false;
}

export function storeUnavailable(): AppError {
  return new AppError("store_unavailable", `the database or Redis is unavailable; retry in ${STORE_RETRY_AFTER_SECONDS} s`, { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS });
}
