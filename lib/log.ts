// One structured logger for web, worker and gateway: JSON lines (pino), ids not payloads. The request id
// of the HTTP request being served (or of the request that enqueued the job being run) is added to every
// line logged inside it, so one request can be followed from the route to the worker.
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

type Fields = Record<string, unknown>;
const context = new AsyncLocalStorage<Fields>();

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "web" },
  timestamp: pino.stdTimeFunctions.isoTime,
  messageKey: "msg",
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => context.getStore() ?? {},
});

/** Names the process in every line: "web" unless a worker or the gateway says otherwise at start. */
export function setLogService(service: "web" | "worker" | "gateway" | "agent") {
  logger.setBindings({ service });
}

export function log(level: "debug" | "info" | "warn" | "error", msg: string, fields: Fields = {}) {
  logger[level](fields, msg);
}

/** Runs `fn` with these fields (requestId, jobId…) on every line it logs, across awaits. */
export function withLogContext<T>(fields: Fields, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** The request id being served, if any (carried into the jobs a request enqueues). */
export function currentRequestId(): string | undefined {
  const id = context.getStore()?.requestId;
  return typeof id === "string" ? id : undefined;
}
