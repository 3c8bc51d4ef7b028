import { z } from "zod";
import { ROLES, ALL_PERMISSIONS } from "@/lib/authz/permissions";

export const ZCreateTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(ALL_PERMISSIONS as [string, ...string[]])).max(64).default([]),
  expiresInDays: z.number().int().positive().max(3650).optional(),
  // A service token (integrations, CI) belongs to no person: it can never approve or reject runs, nor
  // manage tokens or members. Otherwise the token acts for the person who creates it.
  service: z.boolean().default(false),
});
export type CreateTokenInput = z.input<typeof ZCreateTokenInput>;
export const ZListTokensQuery = z.object({ includeRevoked: z.enum(["true", "false"]).optional() });
