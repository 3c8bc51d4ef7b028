import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { sharedFixture } from "../test/shared-fixtures";

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
  await expect(page).toHaveURL(/\/$/);
}

/** A real Alertmanager delivery captured from Prometheus 2.42 / Alertmanager 0.25 (shared/fixtures). */
export function alertmanagerFixture(name: "firing.json" | "resolved.json"): Record<string, unknown> {
  return JSON.parse(sharedFixture(`alertmanager/${name}`).toString("utf8")) as Record<string, unknown>;
}

/** A real remote_write body (snappy + protobuf) captured from Prometheus 2.42. */
export function remoteWriteFixture(): Buffer {
  return sharedFixture("remote_write/prometheus-2.42-writerequest.snappy");
}
