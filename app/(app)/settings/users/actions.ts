"use server";

import { revalidatePath } from "next/cache";
import { getSessionActor } from "@/lib/auth/get-actor";
import { createMember } from "@/lib/users/create-member";
import { setMemberRole } from "@/lib/users/set-member-role";
import { ZCreateMemberInput, ZSetRoleInput } from "@/lib/users/schemas";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";

export type AddMemberState = ActionResult<{ email: string; role: string }>;
export type SetRoleState = ActionResult<{ role: string }>;

export async function addMemberAction(_prev: AddMemberState, formData: FormData): Promise<AddMemberState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["email", "name", "role", "password"]);
  // Echo what was typed back to the form on error, except the password.
  const echo = { email: values.email, name: values.name, role: values.role };
  try {
    const input = ZCreateMemberInput.parse(values);
    const member = await createMember({ actor, input });
    revalidatePath("/settings/users");
    return { ok: true, email: member.email, role: member.role };
  } catch (err) {
    return toActionError(err, echo);
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
