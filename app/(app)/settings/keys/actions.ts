"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getSessionActor } from "@/lib/auth/get-actor";
import { addSigningKey, revokeSigningKey } from "@/lib/playbooks/signing-keys";
import { updateOrchestratorSettings } from "@/lib/orchestrator/settings";
import { updateEgressPolicy } from "@/lib/egress/settings";
import { updateSecretGrants } from "@/lib/secrets/grants";
import { updateRedactionSettings } from "@/lib/orgs/redaction-settings";
import { formValues, notSignedIn, toActionError, type ActionResult } from "../../_lib/action-result";

export type AddKeyState = ActionResult<{ name: string; fingerprint: string }>;
export type RevokeKeyState = ActionResult<{ name: string }>;
export type PolicyState = ActionResult<{ allowUnsignedPlaybooks: boolean; approvalTtlMinutes: number }>;
export type EgressState = ActionResult<{ allowHosts: string[]; allowCidrs: string[] }>;
export type SecretGrantsState = ActionResult<{ grants: string[] }>;
export type RedactionState = ActionResult<{ maskPrivateAddresses: boolean }>;

/** A textarea of one entry per line (commas and spaces also separate) → the list. */
const lines = (text: string | undefined) => (text ?? "").split(/[\s,]+/).filter(Boolean);

const ZRevokeKeyForm = z.object({ id: z.string().uuid(), reason: z.string({ error: "say why you revoke this key" }).trim().min(1, "say why you revoke this key").max(500) });
// A checkbox is "on" or absent; the TTL comes as text from a number input.
const ZPolicyForm = z.object({
  allowUnsignedPlaybooks: z.literal("on").optional().transform((v) => v === "on"),
  approvalTtlMinutes: z.coerce.number({ error: "enter a number of minutes" }).int("whole minutes"),
});

function revalidateKeys() {
  revalidatePath("/settings/keys");
  // Signature statuses shown in the catalog and on runs depend on the keys and the policy.
  revalidatePath("/playbooks", "layout");
  revalidatePath("/approvals");
}

export async function addKeyAction(_prev: AddKeyState, formData: FormData): Promise<AddKeyState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["name", "publicKeyPem", "notAfter"]);
  try {
    // The lib validates (zod) and parses the PEM; a date input gives YYYY-MM-DD, read as midnight UTC.
    const key = await addSigningKey({ actor, input: { name: values.name ?? "", publicKeyPem: values.publicKeyPem ?? "", ...(values.notAfter ? { notAfter: values.notAfter } : {}) } });
    revalidateKeys();
    return { ok: true, name: key.name, fingerprint: key.fingerprint };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function revokeKeyAction(_prev: RevokeKeyState, formData: FormData): Promise<RevokeKeyState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["id", "reason"]);
  try {
    const { id, reason } = ZRevokeKeyForm.parse(values);
    const key = await revokeSigningKey({ actor, id, reason });
    revalidateKeys();
    return { ok: true, name: key.name };
  } catch (err) {
    return toActionError(err, { reason: values.reason });
  }
}

export async function updatePolicyAction(_prev: PolicyState, formData: FormData): Promise<PolicyState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["allowUnsignedPlaybooks", "approvalTtlMinutes"]);
  try {
    const input = ZPolicyForm.parse(values);
    const saved = await updateOrchestratorSettings({ actor, input });
    revalidateKeys();
    return { ok: true, ...saved };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function updateEgressAction(_prev: EgressState, formData: FormData): Promise<EgressState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["allowHosts", "allowCidrs"]);
  try {
    const saved = await updateEgressPolicy({ actor, input: { allowHosts: lines(values.allowHosts), allowCidrs: lines(values.allowCidrs) } });
    revalidatePath("/settings/keys");
    return { ok: true, ...saved };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function updateSecretGrantsAction(_prev: SecretGrantsState, formData: FormData): Promise<SecretGrantsState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["grants"]);
  try {
    const saved = await updateSecretGrants({ actor, input: { grants: lines(values.grants) } });
    revalidatePath("/settings/keys");
    return { ok: true, ...saved };
  } catch (err) {
    return toActionError(err, values);
  }
}

export async function updateRedactionAction(_prev: RedactionState, formData: FormData): Promise<RedactionState> {
  const actor = await getSessionActor();
  if (!actor) return notSignedIn;
  const values = formValues(formData, ["maskPrivateAddresses"]);
  try {
    // A checkbox is "on" or absent.
    const saved = await updateRedactionSettings({ actor, input: { maskPrivateAddresses: values.maskPrivateAddresses === "on" } });
    revalidatePath("/settings/keys");
    return { ok: true, ...saved };
  } catch (err) {
    return toActionError(err, values);
  }
}
