import { z } from "zod";
import { route } from "@/lib/http/route";
import { setOutcomeNote, ZOutcomeNoteInput } from "@/lib/orchestrator/outcome-note";

/** How a finished run went, in a person's words; the recommender learns from it. */
export const POST = route({ name: "/api/v1/runs/[id]/note", permission: "runs.request", params: z.object({ id: z.string().uuid() }), body: ZOutcomeNoteInput }, ({ actor, params, body }) =>
  setOutcomeNote({ actor, id: params.id, input: body }),
);
