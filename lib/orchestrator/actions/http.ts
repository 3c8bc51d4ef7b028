// `http`: one templated request to any http(s) endpoint, carrying the step's idempotency key.
import { z } from "zod";
import type { Action } from "./types";
import { describeBody, displayUrl, planHeaders, send, targetUrl } from "./send";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
// Methods that HTTP defines as idempotent (RFC 9110 §9.2.2).
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export const ZHttpInput = z
  .object({
    // Not z.url(): in plan mode a secret URL is the placeholder «secret:NAME»; execute validates it.
    url: z.string().trim().min(1),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(METHODS))
      .default("POST"),
    headers: z.record(z.string().min(1), z.string()).default({}),
    body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    expectStatus: z.array(z.number().int().min(100).max(599)).min(1).optional(),
    // The target dedupes by Idempotency-Key, so a POST may be retried after a crash.
    idempotent: z.boolean().default(false),
  })
  .strict()
  .refine((i) => i.body === undefined || (i.method !== "GET" && i.method !== "HEAD"), { path: ["body"], message: "GET and HEAD requests cannot have a body" });
export type HttpInput = z.output<typeof ZHttpInput>;

const IDEMPOTENCY_HEADER = "Idempotency-Key";

function encodeBody(body: HttpInput["body"]): { text?: string; json: boolean } {
  if (body === undefined) return { json: false };
  return typeof body === "string" ? { text: body, json: false } : { text: JSON.stringify(body), json: true };
}

/** The user's headers plus ours. Ours wins over a same-named user header: retries rely on the key being the step's. */
function requestHeaders(input: HttpInput, json: boolean, idempotencyKey: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) if (k.toLowerCase() !== IDEMPOTENCY_HEADER.toLowerCase()) headers[k] = v;
  if (json && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  headers[IDEMPOTENCY_HEADER] = idempotencyKey;
  return headers;
}

export const httpAction: Action<HttpInput> = {
  name: "http",
  schema: ZHttpInput,
  idempotent: (input) => input.idempotent || IDEMPOTENT_METHODS.has(input.method),
  destinations: (input) => [input.url],

  async plan(input) {
    const { text, json } = encodeBody(input.body);
    return {
      summary: `${input.method} ${displayUrl(input.url)}${describeBody(text, json)}`,
      details: {
        method: input.method,
        url: displayUrl(input.url),
        headers: planHeaders(requestHeaders(input, json, "(this step's idempotency key)")),
        ...(input.body === undefined ? {} : { body: input.body }),
      },
    };
  },

  async execute(input, ctx) {
    const label = `${input.method} ${displayUrl(input.url)}`;
    const url = targetUrl(input.url);
    const { text, json } = encodeBody(input.body);
    const res = await send({
      method: input.method,
      url,
      headers: requestHeaders(input, json, ctx.idempotencyKey),
      ...(text === undefined ? {} : { body: text }),
      ...(input.expectStatus ? { expectStatus: input.expectStatus } : {}),
      signal: ctx.signal,
      egress: ctx.egress,
      label,
    });
    return {
      summary: `${label} → ${res.status}`,
      output: { status: res.status, body: res.body, ...(res.truncated ? { bodyTruncated: true } : {}) },
    };
  },
};
