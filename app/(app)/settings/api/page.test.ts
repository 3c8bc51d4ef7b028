// The reference page renders every documented operation from the served document (no database needed).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { API_OPERATIONS } from "@/lib/http/openapi";
import ApiReferencePage from "./page";

describe("API reference page", () => {
  it("lists every operation with its method, path and access, and links the JSON document", () => {
    const html = renderToStaticMarkup(createElement(ApiReferencePage));
    expect(html.match(/data-testid="api-operation"/g)).toHaveLength(API_OPERATIONS.length);
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain("/api/v1/runs/{id}/approve");
    expect(html).toContain("runs.approve");
    expect(html).toContain("Approve a run");
  });
});
