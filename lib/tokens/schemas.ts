import { z } from "zod";
import { ROLES, ALL_PERMISSIONS } from "@/lib/authz/permissions";

export const ZCreateTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ALL_PERMISSIONS as [string, ...string[]])).max(64).default([]),
  expiresInDays: z.number().int().positive().max(3650).optional(),
});
export type CreateTokenInput = z.input<typeof ZCreateTokenInput>;
