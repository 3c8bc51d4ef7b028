"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setMemberRole } from "@/lib/users/set-member-role";
import { removeMember } from "@/lib/users/remove-member";
import { inviteMember, revokeInvitation } from "@/lib/users/invitations";
import { ZInviteInput, ZSetRoleInput } from "@/lib/users/schemas";
import type { ActionResult } from "../../_lib/action-result";
import { serverAction } from "../../_lib/server-action";

export type InviteState = ActionResult<{ email: string; role: string; url: string }>;
export type SetRoleState = ActionResult<{ role: string }>;
export type RemoveMemberState = ActionResult<{ email: string; tokensRevoked: number }>;
export type RevokeInvitationState = ActionResult;

const ZId = z.object({ id: z.string().uuid() });
const ZUserId = z.object({ userId: z.string().uuid() });

export const inviteAction = serverAction(
  async ({ actor, values }) => {
    const inv = await inviteMember({ actor, input: ZInviteInput.parse(values) });
    revalidatePath("/settings/users");
    return { email: inv.email, role: inv.role as string, url: inv.url };
  },
  { fields: ["email", "role"], echo: true },
);

export const setRoleAction = serverAction(
  async ({ actor, values }) => {
    const input = ZSetRoleInput.parse(values);
    const updated = await setMemberRole({ actor, input });
    // The actor's own role may have changed: the layout (nav) and every page depend on it.
    revalidatePath("/", "layout");
    return { role: updated.role as string };
  },
  { fields: ["userId", "role"] },
);

export const removeMemberAction = serverAction(
  async ({ actor, values }) => {
    const { userId } = ZUserId.parse(values);
    const removed = await removeMember({ actor, userId });
    revalidatePath("/", "layout");
    return { email: removed.email, tokensRevoked: removed.tokensRevoked };
  },
  { fields: ["userId"] },
);

export const revokeInvitationAction = serverAction(
  async ({ actor, values }) => {
    await revokeInvitation({ actor, id: ZId.parse(values).id });
    revalidatePath("/settings/users");
  },
  { fields: ["id"] },
);
