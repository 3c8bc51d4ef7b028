// Strings PostgreSQL cannot store: U+0000 is refused in text and jsonb, and an unpaired UTF-16
// surrogate is refused in jsonb (and silently becomes U+FFFD in text). Input carrying either is
// rejected at the door with where it was, instead of failing deep inside a transaction as a 500.

/** Why `s` cannot be stored, or null when it can. */
export function unstorableReason(s: string): string | null {
  // Fast path: one native scan; the loop below only runs for strings with a NUL or any surrogate.
  if (!/[\u0000\ud800-\udfff]/.test(s)) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return "contains U+0000 (NUL)";
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return "contains an unpaired UTF-16 surrogate";
    } else if (c >= 0xdc00 && c <= 0xdfff) return "contains an unpaired UTF-16 surrogate";
  }
  return null;
}

export type UnstorableString = { path: (string | number)[]; reason: string };

/**
 * The first string (value or object key) in a parsed JSON value that cannot be stored. Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
export function findUnstorableString(value: unknown): UnstorableString | null {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      const reason = unstorableReason(v);
      if (reason) return { path, reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const reason = unstorableReason(k);
        if (reason) return { path: [...path, k], reason: `key ${reason}` };
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return null;
}

/** A path for messages: segments joined with "." and escaped like JSON, so a NUL in a key stays visible. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.length ? path.map((p) => JSON.stringify(String(p)).slice(1, -1)).join(".") : "(root)";
}
