// Line-by-line redaction of a stream (the `redact` CLI): one output line per input line, in order. A line
// that parses as JSON keeps its structure with every string value redacted; anything else is text.
import { createInterface } from "node:readline";
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import type { Redactor } from "@/lib/redact";

export function redactLine(line: string, redactor: Redactor): string {
  const t = line.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.stringify(redactor.value(JSON.parse(line)));
    } catch {
      // Not JSON after all: redact it as text.
    }
  }
  return redactor.text(line);
}

export async function redactLines(input: Readable, output: Writable, redactor: Redactor): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!output.write(redactLine(line, redactor) + "\n")) await once(output, "drain");
  }
}
