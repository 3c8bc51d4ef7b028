// A small RFC 5545 checker for tests: what calendar apps rely on when they subscribe to our feeds.
// Returns the problems found (empty when the text is fine) and the parsed events.

export type ParsedEvent = Record<string, string>;

const NAME = /^[A-Za-z0-9-]+$/;
const UTC_DATE_TIME = /^\d{8}T\d{6}Z$/;

/** Undoes TEXT escaping; null when the value has a bare ; or , or a stray backslash. */
export function unescapeText(value: string): string | null {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ";" || c === ",") return null;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = value[++i];
    if (n === "n" || n === "N") out += "\n";
    else if (n === "\\" || n === ";" || n === ",") out += n;
    else return null;
  }
  return out;
}

export function validateICalendar(text: string): { problems: string[]; events: ParsedEvent[]; calendar: Record<string, string> } {
  const problems: string[] = [];
  if (!text.endsWith("\r\n")) problems.push("does not end with CRLF");
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) problems.push("line break that is not CRLF");
  const physical = text.split("\r\n").slice(0, -1);
  physical.forEach((l, i) => {
    if (Buffer.byteLength(l, "utf8") > 75) problems.push(`line ${i + 1} is ${Buffer.byteLength(l, "utf8")} octets`);
  });
  // Unfold: a line starting with a space or tab continues the previous one.
  const lines: string[] = [];
  for (const l of physical) {
    if ((l.startsWith(" ") || l.startsWith("\t")) && lines.length > 0) lines[lines.length - 1] += l.slice(1);
    else lines.push(l);
  }
  const stack: string[] = [];
  const events: ParsedEvent[] = [];
  const calendar: Record<string, string> = {};
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) {
      problems.push(`not a content line: ${JSON.stringify(line)}`);
      continue;
    }
    const [name, ...params] = line.slice(0, colon).split(";");
    const value = line.slice(colon + 1);
    if (!NAME.test(name!) || params.some((p) => !/^[A-Za-z0-9-]+=[^";:,]*$/.test(p))) problems.push(`bad name or parameters: ${JSON.stringify(line)}`);
    if (name === "BEGIN") {
      stack.push(value);
      if (value === "VEVENT") current = {};
      continue;
    }
    if (name === "END") {
      if (stack.pop() !== value) problems.push(`END:${value} does not close the open component`);
      if (value === "VEVENT" && current) {
        events.push(current);
        current = null;
      }
      continue;
    }
    const into = current ?? calendar;
    if (into[name!] !== undefined) problems.push(`${name} twice in one component`);
    into[name!] = value;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(", ")}`);
  if (lines[0] !== "BEGIN:VCALENDAR" || lines[lines.length - 1] !== "END:VCALENDAR") problems.push("not one VCALENDAR");
  if (calendar.VERSION !== "2.0") problems.push("VERSION:2.0 missing");
  if (!calendar.PRODID) problems.push("PRODID missing");
  const uids = new Set<string>();
  for (const e of events) {
    for (const p of ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"]) if (!e[p]) problems.push(`VEVENT without ${p}`);
    for (const p of ["DTSTAMP", "DTSTART", "DTEND"]) if (e[p] && !UTC_DATE_TIME.test(e[p]!)) problems.push(`${p} is not a UTC date-time: ${e[p]}`);
    if (e.DTSTART && e.DTEND && e.DTEND <= e.DTSTART) problems.push(`DTEND not after DTSTART in ${e.UID}`);
    if (e.UID && uids.has(e.UID)) problems.push(`UID repeated: ${e.UID}`);
    uids.add(e.UID ?? "");
    for (const p of ["SUMMARY", "DESCRIPTION"]) if (e[p] !== undefined && unescapeText(e[p]!) === null) problems.push(`${p} is not escaped TEXT: ${e[p]}`);
  }
  return { problems, events, calendar };
}
