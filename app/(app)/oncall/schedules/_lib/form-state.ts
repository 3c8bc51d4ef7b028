// The schedule form's state: what the client editor holds, built from a stored schedule (or empty), and
// the words the pages use for layers. Plain data, shared by the server pages and the client form.
import { instantToWall } from "../../_lib/wall-time";

export type Member = { userId: string; name: string; email: string; disabled: boolean };
export type Restriction = { days: number[]; start: string; end: string };
export type LayerState = {
  name: string;
  rotation: "daily" | "weekly" | "custom";
  handoffTime: string;
  handoffWeekday: number;
  lengthHours: number;
  /** datetime-local in the schedule's zone. */
  startsAt: string;
  participants: string[];
  restrictions: Restriction[];
};
export type ScheduleState = { id?: string; name: string; timeZone: string; description: string; layers: LayerState[] };

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function newLayer(startsAt: string): LayerState {
  return { name: "", rotation: "weekly", handoffTime: "09:00", handoffWeekday: 1, lengthHours: 12, startsAt, participants: [], restrictions: [] };
}

type StoredLayer = {
  name: string;
  rotation: "daily" | "weekly" | "custom";
  handoffTime: string | null;
  handoffWeekday: number | null;
  lengthMinutes: number | null;
  startsAt: Date;
  participants: string[];
  restrictions: unknown;
};

export function formStateOf(s: { id: string; name: string; timeZone: string; description: string; layers: StoredLayer[] }): ScheduleState {
  return {
    id: s.id,
    name: s.name,
    timeZone: s.timeZone,
    description: s.description,
    layers: s.layers.map((l) => ({
      name: l.name,
      rotation: l.rotation,
      handoffTime: l.handoffTime ?? "09:00",
      handoffWeekday: l.handoffWeekday ?? 1,
      lengthHours: (l.lengthMinutes ?? 720) / 60,
      startsAt: instantToWall(l.startsAt, s.timeZone),
      participants: l.participants,
      restrictions: (l.restrictions as Restriction[]) ?? [],
    })),
  };
}

/** "Weekly, hand-off Monday 09:00" */
export function rotationText(l: Pick<StoredLayer, "rotation" | "handoffTime" | "handoffWeekday" | "lengthMinutes">): string {
  if (l.rotation === "daily") return `Daily, hand-off ${l.handoffTime}`;
  if (l.rotation === "weekly") return `Weekly, hand-off ${WEEKDAYS[(l.handoffWeekday ?? 1) - 1]} ${l.handoffTime}`;
  const h = (l.lengthMinutes ?? 0) / 60;
  return `Every ${Number.isInteger(h) ? h : h.toFixed(2)} hours`;
}

/** "Mon–Fri 09:00–17:00; Sat 20:00–08:00" */
export function windowsText(restrictions: unknown): string {
  const list = (restrictions as Restriction[]) ?? [];
  if (!list.length) return "always";
  return list.map((r) => `${r.days.map((d) => WEEKDAYS[d - 1]!.slice(0, 3)).join(", ")} ${r.start}–${r.end}`).join("; ");
}
