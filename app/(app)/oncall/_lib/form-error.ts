// Errors of the on-call forms whose input is nested (layers, steps, targets, matchers): the message names
// each problem's place the way the form shows it ("Step 2, target 1: no such member").
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { toActionError, type ActionError } from "../../_lib/action-result";

const WORDS: Record<string, string> = {
  steps: "Step",
  targets: "target",
  layers: "Layer",
  participants: "participant",
  restrictions: "window",
  matchers: "Matcher",
  sourceMatchers: "Source matcher",
  targetMatchers: "Target matcher",
  via: "via channel",
  equal: "Equal label",
};

/** ["steps", 1, "targets", 0, "user"] → "Step 2, target 1, user". */
export function placeOf(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (typeof key === "string" && typeof next === "number") {
      parts.push(`${WORDS[key] ?? key} ${next + 1}`);
      i++;
    } else if (typeof key === "string") parts.push(key);
  }
  return parts.join(", ");
}

function issuesOf(err: unknown): { path: PropertyKey[]; message: string }[] {
  if (err instanceof z.ZodError) return err.issues.map((i) => ({ path: i.path, message: i.message }));
  if (err instanceof AppError && Array.isArray(err.details)) {
    return (err.details as { path?: unknown; message?: unknown }[]).filter((d) => Array.isArray(d.path) && typeof d.message === "string").map((d) => ({ path: d.path as PropertyKey[], message: d.message as string }));
  }
  return [];
}

export function nestedFormError(err: unknown): ActionError {
  const base = toActionError(err);
  const issues = issuesOf(err);
  if (!issues.length) return base;
  return { ok: false, error: issues.map((i) => (i.path.length ? `${placeOf(i.path)}: ${i.message}` : i.message)).join(" · ") };
}

/** The JSON a client form put in its hidden "payload" field. */
export function payloadOf(formData: FormData): unknown {
  const raw = formData.get("payload");
  if (typeof raw !== "string") throw new AppError("bad_request", "the form sent no data");
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppError("bad_request", "the form sent unreadable data");
  }
}
