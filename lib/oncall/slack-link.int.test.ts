// Linking and unlinking a Slack member through the API with a browser session: a cookie-authenticated
// write, so it must come from the app's own origin (a foreign page cannot link its Slack member to the
// visitor's account).
import { beforeEach, describe, expect, it, vi } from "vitest";

// getServerSession reads next/headers, which only exists inside Next: the session it would decode from the
// cookie is set per test; everything after it (membership lookup, the adapter, the origin check) is real.
const auth = vi.hoisted(() => ({ session: null as null | { user: { id: string; orgId: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => auth.session }));

import { randomBytes } from "node:crypto";
import { DELETE as unlinkRoute, GET as linkStateRoute, POST as linkRoute } from "@/app/api/v1/me/slack-link/route";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { createSlackLinkToken } from "@/lib/oncall/slack-link";
import { createChannel } from "@/lib/oncall/manage-channels";
import { makeActor, makeOrg } from "@/test/factories";
import { callRoute } from "@/test/call-route";

let orgId: string;
let me: Actor;
let channelId: string;

beforeEach(async () => {
  orgId = (await makeOrg("slink")).id;
  me = await makeActor(orgId, "viewer");
  const admin = await makeActor(orgId, "admin");
  channelId = (await createChannel({ actor: admin, input: { name: "slack", type: "slack", channel: "#ops", botToken: "xoxb-x", signingSecret: "s" } })).id;
  auth.session = { user: { id: me.id, orgId } };
});

const newToken = async (slackUserId: string) => {
  const url = await createSlackLinkToken({ orgId, channelId, slackTeamId: "T0LINK", slackUserId, slackUserName: "alice" });
  return /\/oncall\/link-slack\/(nsl_[A-Za-z0-9_-]{43})$/.exec(url)![1]!;
};
const SAME_ORIGIN = { origin: "http://neuralops.test" };

describe("POST/DELETE /api/v1/me/slack-link with the session cookie", () => {
  it("refuses a foreign page's request, links from the app's own page, and unlinks", async () => {
    const slackUserId = `U${randomBytes(4).toString("hex").toUpperCase()}`;
    const token = await newToken(slackUserId);
    const foreign = await callRoute(linkRoute, { headers: { origin: "https://evil.example" }, body: { token } });
    expect(foreign.status, foreign.text).toBe(403);
    expect((await db.user.findUniqueOrThrow({ where: { id: me.id } })).slackUserId).toBeNull();

    const linked = await callRoute(linkRoute, { headers: SAME_ORIGIN, body: { token } });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json).toMatchObject({ linked: true, slack: { teamId: "T0LINK", userId: slackUserId } });
    expect((await callRoute(linkStateRoute, { method: "GET" })).json).toEqual({ linked: true, slack: { teamId: "T0LINK", userId: slackUserId } });

    // A Slack member is one person: linking them to someone else takes them from the first.
    const other = await makeActor(orgId, "operator");
    auth.session = { user: { id: other.id, orgId } };
    expect((await callRoute(linkRoute, { headers: SAME_ORIGIN, body: { token: await newToken(slackUserId) } })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: me.id } })).slackUserId).toBeNull();
    expect(await db.user.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ slackUserId, slackTeamId: "T0LINK" });

    expect((await callRoute(unlinkRoute, { method: "DELETE", headers: { origin: "https://evil.example" } })).status).toBe(403);
    const unlinked = await callRoute(unlinkRoute, { method: "DELETE", headers: SAME_ORIGIN });
    expect(unlinked.status, unlinked.text).toBe(200);
    expect(await db.user.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ slackUserId: null, slackTeamId: null });
    const audit = await db.auditEvent.findMany({ where: { orgId, action: { in: ["user.slack_linked", "user.slack_unlinked"] } }, orderBy: { seq: "asc" } });
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([
      ["user.slack_linked", me.id],
      ["user.slack_linked", other.id],
      ["user.slack_unlinked", other.id],
    ]);
    expect(audit[1]!.data).toMatchObject({ unlinkedFrom: [me.label] });
  });
});
