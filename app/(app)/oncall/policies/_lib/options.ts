// What the policy form offers: the org's channels, members and schedules (admins only, like the form).
import type { Actor } from "@/lib/context";
import { listChannels } from "@/lib/oncall/manage-channels";
import { listSchedules } from "@/lib/oncall/schedules/queries";
import { listMembers } from "@/lib/users/list-members";
import type { Options } from "./form-state";

export async function policyFormOptions(actor: Actor): Promise<Options> {
  const [channels, members, schedules] = await Promise.all([listChannels({ actor }), listMembers({ actor }), listSchedules({ actor })]);
  return {
    channels: channels.map((c) => ({ id: c.id, name: c.name, type: c.type })),
    members: members.filter((m) => !m.disabled).map((m) => ({ userId: m.userId, name: m.name, email: m.email })),
    schedules: schedules.map((s) => ({ id: s.id, name: s.name })),
  };
}
