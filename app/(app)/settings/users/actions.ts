"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { setMemberRole } from "@/lib/users/set-member-role";
import { removeMember } from "@/lib/users/remove-member";
import { inviteMember, revokeInvitation } from "@/lib/users/invitations";
import { ZInviteInput, ZSetRoleInput } from "@/lib/users/schemas";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";

export type InviteState = ActionResult<{ email: string; role: string; url: string }>;
export type SetRoleState = ActionResult<{ role: string }>;
export type RemoveMemberState = ActionResult<{ email: string; tokensRevoked: number }>;
export type RevokeInvitationState = ActionResult;

const ZId = z.object({ id: z.string().uuid() });
const ZUserId = z.object({ userId: z.string().uuid() });

export async function inviteAction(_prev: InviteState, formData: FormData): Promise<InviteState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["email", "role"]);
  try {
    const inv = await inviteMember({ actor, input: ZInviteInput.parse(values) });
    revalidatePath("/settings/users");
    return { ok: true, email: inv.email, role: inv.role, url: inv.url };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function setRoleAction(_prev: SetRoleState, formData: FormData): Promise<SetRoleState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const input = ZSetRoleInput.parse(formValues(formData, ["userId", "role"]));
    const updated = await setMemberRole({ actor, input });
    // The actor's own role may have changed: the layout (nav) and every page depend on it.
    revalidatePath("/", "layout");
    return { ok: true, role: updated.role };
  } catch (err) {
    return toActionError(err);
  }
}

export async function removeMemberAction(_prev: RemoveMemberState, formData: FormData): Promise<RemoveMemberState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    const { userId } = ZUserId.parse(formValues(formData, ["userId"]));
    const removed = await removeMember({ actor, userId });
    revalidatePath("/", "layout");
    return { ok: true, email: removed.email, tokensRevoked: removed.tokensRevoked };
  } catch (err) {
    return toActionError(err);
  }
}

export async function revokeInvitationAction(_prev: RevokeInvitationState, formData: FormData): Promise<RevokeInvitationState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  try {
    await revokeInvitation({ actor, id: ZId.parse(formValues(formData, ["id"])).id });
    revalidatePath("/settings/users");
    return { ok: true };
  } catch (err) {
    return toActionError(err);
  }
}
