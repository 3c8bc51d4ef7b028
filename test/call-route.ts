// Calls an app/api route handler in-process with a real Request, as Next would, so integration tests
// exercise the adapter (authentication, origin and content-type checks, body limits, zod) without a build.
import { createApiToken } from "@/lib/tokens/create-api-token";
import type { Role } from "@/lib/authz/permissions";
import { makeActor } from "@/test/factories";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export type CallOptions = {
  method?: string;
  path?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON (with its content type unless headers say otherwise); a string as is. */
  body?: unknown;
};

export async function callRoute(handler: Handler, opts: CallOptions = {}) {
  const headers = new Headers(opts.headers);
  let body: BodyInit | undefined;
  if (typeof opts.body === "string" || opts.body instanceof Uint8Array || opts.body instanceof ReadableStream) body = opts.body as BodyInit;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new Request(`http://neuralops.test${opts.path ?? "/"}`, { method: opts.method ?? "POST", headers, body, duplex: "half" } as RequestInit);
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (e.g. 204)
  }
  // Tests read into the answer freely; its shape is what they assert.
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** A real API token of the given role in the org (created by a fresh admin of that org). */
export async function tokenFor(orgId: string, role: Role, scopes?: string[]) {
  const admin = await makeActor(orgId, "admin");
  const { token } = await createApiToken({ actor: admin, input: { name: `t-${role}`, role, ...(scopes ? { scopes: scopes as never } : {}) } });
  return token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A request body that yields `chunks` chunks of `chunkSize` bytes on demand and counts what was pulled:
 * highWaterMark 0 means nothing is read ahead, so `pulled()` is exactly what the server consumed.
 */
export function countingStream(chunkSize: number, chunks: number, fill = 0x20) {
  let pulled = 0;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent === chunks) return controller.close();
        sent += 1;
        pulled += chunkSize;
        controller.enqueue(new Uint8Array(chunkSize).fill(fill));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}
