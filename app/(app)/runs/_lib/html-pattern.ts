// A playbook param's `pattern` as an <input pattern> the browser can check before the form is sent.
//
// The server matches `^(?:pattern)$` without flags (lib/orchestrator/params.ts); browsers compile the
// attribute as `^(?:pattern)$` with the `v` flag, which refuses characters such as a bare `-` or `/` inside
// a character class. Most catalog patterns have one (`[-a-z0-9]`), and an attribute that does not compile is
// silently ignored. Escaping those characters inside classes keeps the meaning and makes them compile. If
// the result still does not compile, there is no attribute and the server's check is the only one: the
// browser must never refuse a value the server would accept.

// Inside a v-mode class these must be escaped to be literal (syntax characters and reserved punctuators);
// escaped, they mean the same without the flag.
const ESCAPE_IN_CLASS = new Set("()[]{}/|&!#%,:;<=>@`~^$.*+?".split(""));

export function htmlPattern(pattern: string | undefined): string | undefined {
  if (!pattern) return undefined;
  if (compilesInVMode(pattern)) return pattern;
  const converted = escapeClassCharacters(pattern);
  return converted !== null && compilesInVMode(converted) ? converted : undefined;
}

function compilesInVMode(source: string): boolean {
  try {
    new RegExp(`^(?:${source})$`, "v");
    return true;
  } catch {
    return false;
  }
}

/** The pattern with the literal punctuation of its character classes escaped; null if it cannot be read. */
function escapeClassCharacters(p: string): string | null {
  let out = "";
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "\\") {
      out += p.slice(i, i + 2);
      i += 2;
    } else if (c === "[") {
      const end = readClass(p, i);
      if (end === null) return null;
      out += end.text;
      i = end.next;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** One character class starting at p[start] === "[", rewritten; `next` is the index after its "]". */
function readClass(p: string, start: number): { text: string; next: number } | null {
  let i = start + 1;
  let text = "[";
  if (p[i] === "^") {
    text += "^";
    i++;
  }
  // In the flagless syntax a "]" right after "[" or "[^" ends an empty class; leave such rare patterns alone.
  if (p[i] === "]") return null;
  // Whether the last thing read was a single character that a following "-" could start a range from.
  let atom = false;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "]") return { text: text + "]", next: i + 1 };
    if (c === "\\") {
      const next = p[i + 1];
      if (next === undefined) return null;
      text += c + next;
      // \d, \w, \s … are sets: a "-" after them is literal.
      atom = !/[dDwWsSpP]/.test(next);
      i += 2;
    } else if (c === "-") {
      const rangeEnd = p[i + 1];
      if (atom && rangeEnd !== undefined && rangeEnd !== "]") {
        // A range a-z: copy the dash and its end as they are (an escaped end keeps its escape).
        const endLength = rangeEnd === "\\" ? 2 : 1;
        const end = p.slice(i + 1, i + 1 + endLength);
        text += "-" + (end.length === 1 && ESCAPE_IN_CLASS.has(end) ? `\\${end}` : end);
        i += 1 + endLength;
        atom = false;
      } else {
        text += "\\-";
        i++;
        atom = true;
      }
    } else {
      text += ESCAPE_IN_CLASS.has(c) ? `\\${c}` : c;
      i++;
      atom = true;
    }
  }
  return null;
}
