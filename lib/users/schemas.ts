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
