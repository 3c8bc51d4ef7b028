// Timestamp text for <Time> (components/time.tsx) and for the few places that need a plain string.

/** "2026-01-02 03:04:05 UTC": the same on server and client. */
export function formatTime(value: Date | string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "2026-01-02 04:04:05 CET" in `timeZone` (the browser's when omitted), same layout as formatTime. */
export function formatLocalTime(value: Date | string, timeZone?: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(d);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? "";
  return `${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")}:${p("second")} ${p("timeZoneName")}`;
}
