// Policies in words: "whoever is on call in Primary, via slack-ops".
import type { Target } from "@/lib/oncall/schemas";
import type { TargetNames } from "@/lib/oncall/target-names";

export function minutesText(m: number): string {
  if (m === 0) return "at once";
  if (m < 1) return `after ${Math.round(m * 60)} s`;
  return `after ${Number.isInteger(m) ? m : m.toFixed(2)} min`;
}

export function targetText(t: Target, n: TargetNames): string {
  const channel = (id: string) => n.channels[id]?.name ?? "a deleted channel";
  const via = "via" in t && t.via?.length ? `, via ${t.via.map(channel).join(", ")}` : "";
  if ("channel" in t) return `channel ${channel(t.channel)}${n.channels[t.channel] && !n.channels[t.channel]!.enabled ? " (disabled)" : ""}`;
  if ("user" in t) return `${n.people[t.user] ?? "someone who left"}${via}`;
  return `whoever is on call in ${n.schedules[t.schedule] ?? "a deleted schedule"}${via}`;
}
