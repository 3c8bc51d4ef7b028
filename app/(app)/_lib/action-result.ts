// Shared shape of what our server actions return, and the one mapping from thrown errors to it.
// Route-private helper for app/(app)/**/actions.ts; it decides nothing, it only reshapes errors.
import { z } from "zod";
import { AppError } from "@/lib/errors";

export type FieldErrors = Record<string, string[] | undefined>;
export type ActionError = {
  ok: false;
  error: string;
  fieldErrors?: FieldErrors;
  /** What was submitted (never secrets), so the form can show it again after React resets it. */
  values?: Record<string, string | undefined>;
};
export type ActionResult<T extends object = object> = ({ ok: true } & T) | ActionError | null;

export const notSignedIn: ActionError = { ok: false, error: "Not signed in" };

/** Thrown when the form's own checks (before any zod schema) found problems, already keyed by field. */
export class InvalidFields extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super("invalid form fields");
    this.name = "InvalidFields";
  }
}

function issuesToFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "");
    if (!key) continue;
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Form fields as a plain object; empty strings become undefined so optional fields stay optional. */
export function formValues(fd: FormData, keys: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of keys) {
    const v = fd.get(key);
    out[key] = typeof v === "string" && v.trim() !== "" ? v : undefined;
  }
  return out;
}

/** AppError and zod errors become a message for the form; anything else is logged and hidden. */
export function toActionError(err: unknown, values?: Record<string, string | undefined>): ActionError {
  const echo = values ? { values } : {};
  if (err instanceof z.ZodError) {
    return { ok: false, error: "Check the highlighted fields.", fieldErrors: issuesToFieldErrors(err.issues), ...echo };
  }
  if (err instanceof InvalidFields) return { ok: false, error: "Check the highlighted fields.", fieldErrors: err.fieldErrors, ...echo };
  if (err instanceof AppError) {
    const details = Array.isArray(err.details) ? (err.details as { path?: unknown; message?: unknown }[]) : [];
    const issues = details
      .filter((d) => Array.isArray(d.path) && typeof d.message === "string")
      .map((d) => ({ path: d.path as PropertyKey[], message: d.message as string }));
    // lib messages are lower-case sentences ("token already revoked"); start them with a capital,
    // unless they start with a value such as an email address.
    const message = /^[a-z][a-z-]*\s/.test(err.message) ? err.message.charAt(0).toUpperCase() + err.message.slice(1) : err.message;
    return { ok: false, error: message, ...(issues.length ? { fieldErrors: issuesToFieldErrors(issues) } : {}), ...echo };
  }
  console.error(JSON.stringify({ level: "error", msg: "unhandled error in server action", error: String((err as Error)?.stack ?? err) }));
  return { ok: false, error: "Something went wrong. Try again.", ...echo };
}
