// The policy form's state (plain data for the server pages and the client form).
import type { Target } from "@/lib/oncall/schemas";

export type TargetKind = "channel" | "user" | "schedule";
export type TargetRow = { kind: TargetKind; ref: string; via: string[] };
export type StepRow = { afterMinutes: number; targets: TargetRow[] };
export type PolicyState = { id?: string; name: string; description: string; repeat: number; repeatAfterMinutes: number; steps: StepRow[] };
export type Options = {
  channels: { id: string; name: string; type: string }[];
  members: { userId: string; name: string; email: string }[];
  schedules: { id: string; name: string }[];
};

export function firstRef(kind: TargetKind, o: Options): string {
  return kind === "channel" ? (o.channels[0]?.id ?? "") : kind === "user" ? (o.members[0]?.userId ?? "") : (o.schedules[0]?.id ?? "");
}

export function newTarget(o: Options): TargetRow {
  const kind: TargetKind = o.channels.length ? "channel" : o.schedules.length ? "schedule" : "user";
  return { kind, ref: firstRef(kind, o), via: [] };
}

export function rowOf(t: Target): TargetRow {
  if ("channel" in t) return { kind: "channel", ref: t.channel, via: [] };
  if ("user" in t) return { kind: "user", ref: t.user, via: t.via ?? [] };
  return { kind: "schedule", ref: t.schedule, via: t.via ?? [] };
}

export function formStateOf(p: { id: string; name: string; description: string | null; repeat: number; repeatAfterMinutes: number; steps: { afterMinutes: number; targets: Target[] }[] }): PolicyState {
  return { id: p.id, name: p.name, description: p.description ?? "", repeat: p.repeat, repeatAfterMinutes: p.repeatAfterMinutes, steps: p.steps.map((s) => ({ afterMinutes: s.afterMinutes, targets: s.targets.map(rowOf) })) };
}
