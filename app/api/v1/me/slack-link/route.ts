import { route } from "@/lib/http/route";
import { getSlackLink, linkSlackAccount, unlinkSlackAccount, ZSlackLinkInput } from "@/lib/oncall/slack-link";

// The signed-in person's own Slack link (lib/oncall/slack-link.ts): any member may link or unlink
// themselves. Linking and unlinking take a browser session (an API token is refused).
export const GET = route({ name: "/api/v1/me/slack-link" }, ({ actor }) => getSlackLink({ actor }));

export const POST = route({ name: "/api/v1/me/slack-link", body: ZSlackLinkInput }, ({ actor, body }) =>
  linkSlackAccount({ actor, token: body.token }),
);

export const DELETE = route({ name: "/api/v1/me/slack-link" }, ({ actor }) => unlinkSlackAccount({ actor }));
