// What a failed step or plan says: zod issues as `path: message`, anything else by its message.
export function errorText(err: unknown): string {
  if (err && typeof err === "object" && "issues" in err && Array.isArray((err as { issues: unknown[] }).issues)) {
    return (err as { issues: { path: PropertyKey[]; message: string }[] }).issues.map((i) => `${i.path.join(".") || "with"}: ${i.message}`).join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}
