import { z } from "zod";
import { ROLES } from "@/lib/authz/permissions";

export const ZCreateMemberInput = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  // Only needed for a new account; an existing user is simply added to the org.
  password: z.string().min(12, "at least 12 characters").max(1024).optional(),
});
export type CreateMemberInput = z.input<typeof ZCreateMemberInput>;

export const ZSetRoleInput = z.object({ userId: z.string().uuid(), role: z.enum(ROLES) });
export type SetRoleInput = z.input<typeof ZSetRoleInput>;
/** PATCH /api/v1/members/:userId: the user is in the path. */
export const ZSetRoleBody = ZSetRoleInput.pick({ role: true }).strict();

export const ZInviteInput = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  role: z.enum(ROLES),
  expiresInDays: z.number().int().min(1).max(30).default(7),
});
export type InviteInput = z.input<typeof ZInviteInput>;

export const ZAcceptInvitationInput = z.object({
  token: z.string().min(20).max(200),
  // Only for an address that has no account yet: the account is created with these.
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(12, "at least 12 characters").max(1024).optional(),
});
export type AcceptInvitationInput = z.input<typeof ZAcceptInvitationInput>;
