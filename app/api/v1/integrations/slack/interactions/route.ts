import { route } from "@/lib/http/route";
import { readBody } from "@/lib/http/read-body";
import { handleSlackInteraction, MAX_INTERACTION_BYTES } from "@/lib/oncall/slack-interactions";

// Slack's interactivity "Request URL" (a button pressed on a notification). Public: Slack's signature
// over the raw form body is the credential (lib/oncall/slack-interactions.ts), so the body is read as
// bytes and verified before anything in it is believed. Answers 200 (Slack shows an error otherwise);
// what happened is told in Slack itself.
export const POST = route({ name: "/api/v1/integrations/slack/interactions", auth: false }, async ({ req }) =>
  handleSlackInteraction({
    rawBody: await readBody(req, MAX_INTERACTION_BYTES),
    timestamp: req.headers.get("x-slack-request-timestamp"),
    signature: req.headers.get("x-slack-signature"),
  }),
);
