import type { ParsedPayload } from "@/lib/jobs/definitions";
import { embedObjects, reembedStale } from "@/lib/vectors/embed-objects";

export const handleVectorsEmbed = (p: ParsedPayload<"vectors.embed">) => embedObjects(p.kind, [p.id]);
export const handleVectorsReembed = (_p: ParsedPayload<"vectors.reembed">) => reembedStale();
