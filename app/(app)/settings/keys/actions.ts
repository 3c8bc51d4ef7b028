"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addSigningKey, revokeSigningKey } from "@/lib/playbooks/signing-keys";
import { updateOrchestratorSettings } from "@/lib/orchestrator/settings";
import { updateEgressPolicy } from "@/lib/egress/settings";
import { updateSecretGrants } from "@/lib/secrets/grants";
import { updateRedactionSettings } from "@/lib/orgs/redaction-settings";
import type { ActionResult } from "../../_lib/action-result";
import { serverAction } from "../../_lib/server-action";

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

export const addKeyAction = serverAction(
  async ({ actor, values }) => {
    // The lib validates (zod) and parses the PEM; a date input gives YYYY-MM-DD, read as midnight UTC.
    const key = await addSigningKey({ actor, input: { name: values.name ?? "", publicKeyPem: values.publicKeyPem ?? "", ...(values.notAfter ? { notAfter: values.notAfter } : {}) } });
    revalidateKeys();
    return { name: key.name, fingerprint: key.fingerprint };
  },
  { fields: ["name", "publicKeyPem", "notAfter"], echo: true },
);

export const revokeKeyAction = serverAction(
  async ({ actor, values }) => {
    const { id, reason } = ZRevokeKeyForm.parse(values);
    const key = await revokeSigningKey({ actor, id, reason });
    revalidateKeys();
    return { name: key.name };
  },
  { fields: ["id", "reason"], echo: (values) => ({ reason: values.reason }) },
);

export const updatePolicyAction = serverAction(
  async ({ actor, values }) => {
    const input = ZPolicyForm.parse(values);
    const saved = await updateOrchestratorSettings({ actor, input });
    revalidateKeys();
    return saved;
  },
  { fields: ["allowUnsignedPlaybooks", "approvalTtlMinutes"], echo: true },
);

export const updateEgressAction = serverAction(
  async ({ actor, values }) => {
    const saved = await updateEgressPolicy({ actor, input: { allowHosts: lines(values.allowHosts), allowCidrs: lines(values.allowCidrs) } });
    revalidatePath("/settings/keys");
    return saved;
  },
  { fields: ["allowHosts", "allowCidrs"], echo: true },
);

export const updateSecretGrantsAction = serverAction(
  async ({ actor, values }) => {
    const saved = await updateSecretGrants({ actor, input: { grants: lines(values.grants) } });
    revalidatePath("/settings/keys");
    return saved;
  },
  { fields: ["grants"], echo: true },
);

export const updateRedactionAction = serverAction(
  async ({ actor, values }) => {
    // A checkbox is "on" or absent.
    const saved = await updateRedactionSettings({ actor, input: { maskPrivateAddresses: values.maskPrivateAddresses === "on" } });
    revalidatePath("/settings/keys");
    return saved;
  },
  { fields: ["maskPrivateAddresses"], echo: true },
);
