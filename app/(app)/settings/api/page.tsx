import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Section } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { openApiDocument } from "@/lib/http/openapi";

export const metadata: Metadata = { title: "API reference" };

type Param = { name: string; in: string; required: boolean; schema: unknown; example?: unknown };
type Op = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-access": string;
  parameters?: Param[];
  requestBody?: { description?: string; content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { description?: string; $ref?: string }>;
};
type Doc = { paths: Record<string, Record<string, Op>>; components: { responses: Record<string, { description: string }> } };

const METHOD_TONE: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  put: "bg-amber-100 text-amber-900",
  patch: "bg-amber-100 text-amber-900",
  delete: "bg-rose-100 text-rose-900",
};

function accessLabel(access: string) {
  return access === "public" ? "public" : access === "signed-in" ? "any signed-in caller" : access;
}

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700">{label}</summary>
      <pre className="mt-1 max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs break-words whitespace-pre-wrap text-slate-800">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

// Server-rendered from the same document /api/v1/openapi.json serves, so the page cannot drift from it.
export default function ApiReferencePage() {
  const doc = openApiDocument() as unknown as Doc;
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(ops.map((o) => o.op.tags[0]!))].sort();

  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every <code>/api/v1</code> operation, generated from the schemas the server validates with. Machine-readable as{" "}
            <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 hover:underline">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1). Call it with <code>Authorization: Bearer &lt;token&gt;</code> (
            <Link href="/settings#tokens" className="font-medium text-indigo-700 hover:underline">
              API tokens
            </Link>
            ); errors are <code>{'{"error":{"code","message"}}'}</code>.
          </>
        }
      />
      <nav aria-label="API sections" className="mb-6 flex flex-wrap gap-2 text-sm">
        {tags.map((t) => (
          <a key={t} href={`#api-${t}`} className="rounded border border-slate-200 bg-white px-2 py-0.5 text-indigo-700 hover:underline">
            {t}
          </a>
        ))}
      </nav>
      {tags.map((tag) => (
        <Section key={tag} title={tag} id={`api-${tag}`}>
          <ul className="space-y-3">
            {ops
              .filter((o) => o.op.tags[0] === tag)
              .map(({ path, method, op }) => {
                const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
                return (
                  <li key={op.operationId} id={op.operationId} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="api-operation">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_TONE[method] ?? ""}`}>{method}</span>
                      <code className="font-mono text-sm break-all text-slate-900">{path}</code>
                      <Badge tone={op["x-access"] === "public" ? "warn" : "neutral"}>{accessLabel(op["x-access"])}</Badge>
                    </div>
                    <p className="mt-1 text-sm text-slate-800">{op.summary}</p>
                    {op.description ? <p className="mt-0.5 text-sm text-slate-600">{op.description}</p> : null}
                    {op.parameters?.length ? (
                      <table className="mt-2 text-left text-xs">
                        <caption className="sr-only">Parameters of {method.toUpperCase()} {path}</caption>
                        <thead>
                          <tr className="text-slate-500">
                            <th className="pr-4 font-medium">Parameter</th>
                            <th className="pr-4 font-medium">In</th>
                            <th className="pr-4 font-medium">Schema</th>
                          </tr>
                        </thead>
                        <tbody>
                          {op.parameters.map((p) => (
                            <tr key={`${p.in}-${p.name}`}>
                              <td className="pr-4 font-mono">
                                {p.name}
                                {p.required ? <span title="required">*</span> : null}
                              </td>
                              <td className="pr-4">{p.in}</td>
                              <td className="font-mono break-all text-slate-700">{JSON.stringify(p.schema)}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    ) : null}
                    {body ? (
                      <>
                        <p className="mt-2 text-xs text-slate-600">
                          Body: <code>{body[0]}</code>
                          {op.requestBody?.description ? ` — ${op.requestBody.description}` : null}
                        </p>
                        <Json value={body[1].schema} label="Body schema" />
                        {body[1].example !== undefined ? <Json value={body[1].example} label="Example body" /> : null}
                      </>
                    ) : null}
                    <p className="mt-2 text-xs text-slate-600">
                      Responses:{" "}
                      {Object.entries(op.responses).map(([code, r], i) => (
                        <span key={code} title={r.$ref ? doc.components.responses[r.$ref.split("/").pop()!]?.description : r.description}>
                          {i ? ", " : ""}
                          <code>{code}</code>
                        </span>
                      ))}
                    </p>
                  </li>
                );
              })}
          </ul>
        </Section>
      ))}
    </>
  );
}
