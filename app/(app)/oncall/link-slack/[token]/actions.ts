"use server";

import { linkSlackAccount } from "@/lib/oncall/slack-link";
import type { ActionResult } from "@/app/(app)/_lib/action-result";
import { serverAction } from "@/app/(app)/_lib/server-action";

export type LinkSlackState = ActionResult<{ slackUserId: string | null }>;

export const linkSlackAction = serverAction(
  async ({ actor, values }) => {
    const done = await linkSlackAccount({ actor, token: values.token ?? "" });
    return { slackUserId: done.slack.userId };
  },
  { fields: ["token"] },
);
