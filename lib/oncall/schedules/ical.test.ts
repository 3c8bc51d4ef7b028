import { describe, expect, it } from "vitest";
import { escapeText, foldLine, renderCalendar, shiftUid, utcStamp } from "@/lib/oncall/schedules/ical";
import { unescapeText, validateICalendar } from "@/test/ical-validate";

const now = new Date("2026-03-01T12:00:00Z");

describe("iCalendar output", () => {
  it("is a valid VCALENDAR with one VEVENT per shift, UTC times, CRLF", () => {
    const text = renderCalendar({
      name: "Primary",
      now,
      events: [
        { uid: "a@x", startsAt: new Date("2026-03-02T08:00:00Z"), endsAt: new Date("2026-03-03T08:00:00Z"), summary: "On call: Ada" },
        { uid: "b@x", startsAt: new Date("2026-03-03T08:00:00Z"), endsAt: new Date("2026-03-04T07:00:00Z"), summary: "On call: Bo", description: "Schedule: Primary" },
      ],
    });
    const { problems, events, calendar } = validateICalendar(text);
    expect(problems).toEqual([]);
    expect(calendar["X-WR-CALNAME"]).toBe("Primary");
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ UID: "b@x", DTSTART: "20260303T080000Z", DTEND: "20260304T070000Z", DTSTAMP: "20260301T120000Z", SUMMARY: "On call: Bo" });
  });

  it("an empty calendar is still valid", () => {
    expect(validateICalendar(renderCalendar({ name: "Empty", now, events: [] })).problems).toEqual([]);
  });

  it("escapes TEXT and folds long lines at 75 octets without splitting characters", () => {
    const name = `Ops; core, "platform" \\ night\nshift — Zürich 🚨 ${"ü".repeat(80)} ${"x".repeat(200)}`;
    const text = renderCalendar({ name, now, events: [{ uid: "u@x", startsAt: now, endsAt: new Date(now.getTime() + 3_600_000), summary: `On call: ${name}` }] });
    const { problems, events, calendar } = validateICalendar(text);
    expect(problems).toEqual([]);
    expect(unescapeText(calendar["X-WR-CALNAME"]!)).toBe(name);
    expect(unescapeText(events[0]!.SUMMARY!)).toBe(`On call: ${name}`);
    expect(text.split("\r\n").length).toBeGreaterThan(10);
  });

  it("the validator catches what it is there for", () => {
    const good = renderCalendar({ name: "P", now, events: [{ uid: "u@x", startsAt: now, endsAt: new Date(now.getTime() + 1000), summary: "x" }] });
    expect(validateICalendar(good.replace(/\r\n/g, "\n")).problems.length).toBeGreaterThan(0);
    expect(validateICalendar(good.replace("SUMMARY:x", `SUMMARY:${"y".repeat(80)}`)).problems.some((p) => p.includes("octets"))).toBe(true);
    expect(validateICalendar(good.replace("SUMMARY:x", "SUMMARY:a;b")).problems.some((p) => p.includes("escaped"))).toBe(true);
    expect(validateICalendar(good.replace(/UID:u@x\r\n/, "")).problems).toContain("VEVENT without UID");
    expect(validateICalendar(good.replace("END:VEVENT\r\n", "")).problems.length).toBeGreaterThan(0);
  });

  it("foldLine keeps lines within 75 octets and unfolds to the original", () => {
    for (const line of ["a".repeat(75), "a".repeat(76), "é".repeat(100), `${"a".repeat(74)}😀${"b".repeat(200)}`]) {
      const folded = foldLine(line);
      for (const l of folded.split("\r\n")) expect(Buffer.byteLength(l, "utf8")).toBeLessThanOrEqual(75);
      expect(folded.replace(/\r\n /g, "")).toBe(line);
    }
    expect(foldLine("a".repeat(75))).toBe("a".repeat(75));
  });

  it("escapeText drops control characters TEXT cannot hold", () => {
    expect(escapeText("a\u0000b\u0007c\td\r\ne")).toBe("abc\td\\ne");
  });

  it("UTC stamps and stable UIDs", () => {
    expect(utcStamp(new Date("2026-03-29T07:00:00.123Z"))).toBe("20260329T070000Z");
    const a = shiftUid("s", "u", new Date("2026-03-29T07:00:00Z"));
    expect(shiftUid("s", "u", new Date("2026-03-29T07:00:00Z"))).toBe(a);
    expect(shiftUid("s", "u", new Date("2026-03-30T07:00:00Z"))).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}@oncall\.neuralops$/);
  });
});
