// Secret values resolved for a step must never be stored or logged: everything a step produces passes
// through scrub() before it reaches the database, the audit chain or a log line.
export type Secrets = ReadonlyMap<string, string>;

export function scrubText(text: string, secrets: Secrets): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const [name, value] of [...secrets].sort((a, b) => b[1].length - a[1].length)) {
    if (!value) continue;
    // Also the URL-encoded form: secrets often travel inside URLs and come back in error messages.
    for (const form of new Set([value, encodeURIComponent(value)])) out = out.split(form).join(`«secret:${name}»`);
  }
  return out;
}

export function scrub<T>(value: T, secrets: Secrets): T {
  if (!secrets.size) return value;
  if (typeof value === "string") return scrubText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k, secrets), scrub(v, secrets)])) as T;
  }
  return value;
}
