import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { fixture as capturedFixture } from "../test/fixtures";

export type Role = "viewer" | "operator" | "approver" | "admin";
export const ROLES: Role[] = ["viewer", "operator", "approver", "admin"];
export const DEMO_PASSWORD = "neuralops-demo";
export const demoEmail = (role: Role) => `${role}@demo.neuralops.local`;

type State = { orgId: string; otherOrgId: string; tokens: Record<Role, { token: string; id: string }>; otherAdmin: { token: string; id: string } };

export function e2eState(): State {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "../test-results/e2e-state.json"), "utf8")) as State;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function login(page: Page, role: Role) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(demoEmail(role));
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The first sign-in on a fresh server hashes a password and loads the overview's chunks cold: on a busy
  // machine that alone can take more than the default 5 s.
  await expect(page).toHaveURL(/\/$/, { timeout: 15_000 });
}

/** A real Alertmanager delivery captured from Prometheus 2.42 / Alertmanager 0.25 (test/fixtures). */
export function alertmanagerFixture(name: "firing.json" | "resolved.json"): Record<string, unknown> {
  return JSON.parse(capturedFixture(`alertmanager/${name}`).toString("utf8")) as Record<string, unknown>;
}

/** A real remote_write body (snappy + protobuf) captured from Prometheus 2.42. */
export function remoteWriteFixture(): Buffer {
  return capturedFixture("remote_write/prometheus-2.42-writerequest.snappy");
}

// ---------------------------------------------------------------------------------------------------
// Orchestrator helpers: signing keys, playbook uploads and incidents with chosen labels, through the API.
// (Imports are hoisted; they sit here so this block can be read on its own.)
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { signPlaybook } from "../lib/playbooks/signature";

/** Lowercase and unique per call: valid in playbook names, label values and key names. */
export function uniqueStamp(): string {
  return `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
}

/** A fresh ECDSA P-256 key pair and a signer in the format the server verifies (base64 DER over the bytes). */
export function makeSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return { privatePem, publicPem, sign: (source: string) => signPlaybook(Buffer.from(source, "utf8"), privatePem) };
}

/** Registers a public key as trusted (admin token); returns the stored key. */
export async function trustKey(request: APIRequestContext, name: string, publicPem: string): Promise<{ id: string; fingerprint: string }> {
  const res = await request.post("/api/v1/keys", { headers: bearer(e2eState().tokens.admin.token), data: { name, publicKeyPem: publicPem } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; fingerprint: string };
}

/** A playbook document; JSON is valid YAML, which keeps the signed bytes exact. */
export function playbookSource(spec: { name: string; risk: "low" | "medium" | "high"; steps: unknown[] } & Record<string, unknown>): string {
  return JSON.stringify({ version: 1, description: `e2e playbook ${spec.name}`, ...spec }, null, 2) + "\n";
}

/** Uploads a playbook version (admin token), signed or not. */
export async function uploadPlaybook(request: APIRequestContext, source: string, signature?: string) {
  const res = await request.post("/api/v1/playbooks", { headers: bearer(e2eState().tokens.admin.token), data: signature ? { source, signature } : { source } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { name: string; version: number; digest: string };
}

/** Posts Alertmanager's firing.json (operator token) as a new incident of its own, with extra labels. */
export async function fireAlertWithLabels(request: APIRequestContext, stamp: string, labels: Record<string, string>) {
  type Alert = { labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string };
  const payload = alertmanagerFixture("firing.json") as { alerts: Alert[] };
  const alertname = `RunFiring${stamp}`;
  const title = `Run test alert ${stamp}`;
  payload.alerts = payload.alerts.map((a) => ({
    ...a,
    fingerprint: `run-${stamp}`,
    labels: { ...a.labels, ...labels, alertname },
    annotations: { ...a.annotations, summary: title },
  }));
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(e2eState().tokens.operator.token), data: payload });
  expect(res.status()).toBe(200);
  return { alertname, title };
}

// ---------------------------------------------------------------------------------------------------
// Exports and similar incidents: alerts with chosen text and start time, and the incident one opened.

/** Posts one firing Alertmanager alert (operator token) with exactly these labels and annotations; `summary` becomes the incident's title. */
export async function postAlert(request: APIRequestContext, spec: { labels: Record<string, string>; annotations: Record<string, string>; startsAt?: Date }) {
  type Alert = { labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string; startsAt: string; generatorURL?: string };
  const payload = alertmanagerFixture("firing.json") as { alerts: Alert[] };
  payload.alerts = [
    {
      ...payload.alerts[0]!,
      fingerprint: `e2e-${uniqueStamp()}`,
      startsAt: (spec.startsAt ?? new Date()).toISOString(),
      labels: spec.labels,
      annotations: spec.annotations,
      generatorURL: undefined,
    },
  ];
  const res = await request.post("/api/v1/integrations/alertmanager", { headers: bearer(e2eState().tokens.operator.token), data: payload });
  expect(res.status(), await res.text()).toBe(200);
}

/** The id of the one incident titled exactly `title` (viewer token). */
export async function incidentIdByTitle(request: APIRequestContext, title: string): Promise<string> {
  const res = await request.get(`/api/v1/incidents?q=${encodeURIComponent(title)}`, { headers: bearer(e2eState().tokens.viewer.token) });
  expect(res.status()).toBe(200);
  const { incidents } = (await res.json()) as { incidents: { id: string; title: string }[] };
  const matches = incidents.filter((i) => i.title === title);
  expect(matches, `incidents titled ${title}`).toHaveLength(1);
  return matches[0]!.id;
}

/** A run's status, as a viewer sees it through the API. */
export async function runStatus(request: APIRequestContext, id: string): Promise<string> {
  const res = await request.get(`/api/v1/runs/${id}`, { headers: bearer(e2eState().tokens.viewer.token) });
  return ((await res.json()) as { status: string }).status;
}

/** The run page's URL; the capture is the run id. */
export const runUrl = /\/runs\/([0-9a-f-]{36})$/;

// ---------------------------------------------------------------------------------------------------
// A local HTTP target for playbooks' http steps: answers 200 {"ok":true} and records every request.

export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

export async function startRecordingTarget() {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** The requests to one path, in arrival order. */
    on: (path: string) => requests.filter((r) => r.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
