// Shared by the action integration tests (http, notify, wait, verify, k8s): a recording target server that
// answers per path, the contexts actions run with, and assertions on their errors.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { NotSentError, PermanentActionError, type Action, type ExecuteContext, type PlanContext } from "./types";
// ---------------------------------------------------------------------------------------------------
// Recording target server

export type Recorded = { method: string; path: string; headers: IncomingHttpHeaders; body: string };
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

export class Target {
  readonly requests: Recorded[] = [];
  private readonly replies = new Map<string, Reply[]>();
  private readonly waiters: { path: string; resolve: (r: Recorded) => void }[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rec = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(rec);
        const reply = this.nextReply(rec.path);
        for (const w of this.waiters.filter((w) => w.path === rec.path)) w.resolve(rec);
        if (reply === "hang") return;
        res.writeHead(reply.status, reply.headers ?? { "content-type": "text/plain" }).end(reply.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers for a path, in order; the last one repeats. */
  reply(path: string, ...replies: Reply[]): void {
    this.replies.set(path, replies);
  }

  received(path: string): Promise<Recorded> {
    return new Promise((resolve) => this.waiters.push({ path, resolve }));
  }

  on(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.replies.clear();
    this.waiters.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextReply(path: string): Reply {
    const queue = this.replies.get(path);
    if (!queue?.length) return { status: 404, body: "no reply configured" };
    return queue.length > 1 ? queue.shift()! : queue[0]!;
  }
}

/** The recording target of the calling test file: started before its tests, emptied before each. */
export function recordingTarget(): Target {
  const target = new Target();
  beforeAll(() => target.start());
  afterAll(() => target.stop());
  beforeEach(() => target.reset());
  return target;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

// The local target and stub Prometheus listen on 127.0.0.1, which an org's egress policy must allow.
export const planCtx = (over: Partial<PlanContext> = {}): PlanContext => ({ orgId: "org-1", runId: "run-1", stepId: "step-1", playbookDigest: "0".repeat(64), prometheus: null, egress: { policy: { allowHosts: [], allowCidrs: ["127.0.0.1/32"] } }, ...over });

export function execCtx(over: Partial<ExecuteContext> = {}): ExecuteContext {
  return { ...planCtx(), idempotencyKey: `idem-${randomUUID()}`, attempt: 1, signal: new AbortController().signal, ...over };
}

export function run<W>(action: Action<W>, input: unknown, ctx: ExecuteContext = execCtx()) {
  return action.execute(action.schema.parse(input), ctx);
}

export function plan<W>(action: Action<W>, input: unknown, ctx: PlanContext = planCtx()) {
  return action.plan(action.schema.parse(input), ctx);
}

/** The rejection of a promise that must reject, for assertions on its class and fields. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the promise to reject");
}

/** Retryable: neither permanent nor known-unsent. */
export function expectRetryable(e: Error): void {
  expect(e).toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(PermanentActionError);
  expect(e).not.toBeInstanceOf(NotSentError);
}

export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
