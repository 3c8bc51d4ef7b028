import { z } from "zod";

export const ZRequestRunInput = z
  .object({
    playbook: z.string().trim().min(1).max(200),
    incidentId: z.string().uuid().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();
export type RequestRunInput = z.input<typeof ZRequestRunInput>;
