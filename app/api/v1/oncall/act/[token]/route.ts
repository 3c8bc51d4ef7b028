import { z } from "zod";
import { route } from "@/lib/http/route";
import { ACTION_TOKEN_RE, previewActionLink, ackWithLink } from "@/lib/oncall/action-links";

// A one-time link from a person's email, Teams or webhook notification (lib/oncall/action-links.ts).
// Public: the token in the path is the credential. GET says what the link would do and changes nothing
// (link scanners and previews fetch URLs); POST acknowledges the incident as the link's person.
const params = z.object({ token: z.string().regex(ACTION_TOKEN_RE, "a link token (noa_…)") });

export const GET = route({ name: "/api/v1/oncall/act/[token]", auth: false, params }, ({ params }) => previewActionLink(params.token));

export const POST = route({ name: "/api/v1/oncall/act/[token]", auth: false, params }, ({ params }) => ackWithLink({ token: params.token }));
