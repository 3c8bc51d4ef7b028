// Helpers of the redactor's rule tests (context, grammar, round N): what detect() finds, as `type:value`, and
// whether a look-alike comes out of the redactor unchanged.
import { expect } from "vitest";
import { createRedactor, detect, type DetectOptions, type Span } from "@/lib/redact";

export const TEST_KEY = new Uint8Array(Buffer.from("redact-rules-test-key-0123456789"));
export const spans = (s: string, opts: DetectOptions = {}) => detect(s, opts).map((x: Span) => `${x.type}:${s.slice(x.start, x.end)}`);
/** The spans of one type only. */
export const typed = (s: string, type: string) => spans(s).filter((x) => x.startsWith(`${type}:`));
export const redacted = (s: string) => createRedactor({ key: TEST_KEY }).text(s);
export const kept = (s: string) => expect(redacted(s)).toBe(s);
