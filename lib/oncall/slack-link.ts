// Linking a Slack member to a NeuralOps user. A Slack member who presses a notification's button before
// being linked gets, only they can see it, a one-time link `${publicUrl}/oncall/link-slack/nsl_<43
// base64url chars>` (30 minutes; only its SHA-256 is stored). The NeuralOps user who opens it signed in
// to the same organization, and confirms, becomes that Slack member: User.slackUserId + slackTeamId.
// From then on that member's button presses act as this user, with their role at that moment. The page
// names the Slack member, so someone tricked into opening another person's link can see it is not theirs.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { publicUrl } from "@/lib/env";

export const SLACK_LINK_TTL_MS = 30 * 60_000;
export const SLACK_LINK_TOKEN_RE = /^nsl_[A-Za-z0-9_-]{43}$/;
export const ZSlackLinkInput = z.object({ token: z.string().regex(SLACK_LINK_TOKEN_RE, "a Slack link token (nsl_…)") }).strict();

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

type Member = { orgId: string; channelId: string; slackTeamId: string; slackUserId: string; slackUserName?: string | null };

/** A new linking link for a Slack member who pressed a button of one of the org's channels; returns its URL. */
export async function createSlackLinkToken(m: Member, now = new Date()) {
  const token = `nsl_${randomBytes(32).toString("base64url")}`;
  await db.slackLinkToken.create({
    data: { orgId: m.orgId, channelId: m.channelId, slackTeamId: m.slackTeamId, slackUserId: m.slackUserId, slackUserName: m.slackUserName ?? null, tokenHash: hash(token), expiresAt: new Date(now.getTime() + SLACK_LINK_TTL_MS) },
  });
  return publicUrl(`/oncall/link-slack/${token}`);
}

const unusable = () => new AppError("not_found", "this link is invalid, expired or already used; press the button in Slack again for a new one");

async function findUsable(token: string) {
  if (!SLACK_LINK_TOKEN_RE.test(token)) throw unusable();
  const row = await db.slackLinkToken.findUnique({ where: { tokenHash: hash(token) }, include: { org: { select: { id: true, name: true, slug: true } } } });
  if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw unusable();
  return row;
}

/** Only a person signed in to the web app links their own account: never an API token. */
function assertPerson(actor: Actor) {
  if (actor.type !== "user") throw new AppError("forbidden", "link your Slack account signed in to NeuralOps in the browser, not with an API token");
}

/** What the link page shows before the person confirms. */
export async function previewSlackLink({ actor, token }: { actor: Actor; token: string }) {
  assertPerson(actor);
  const row = await findUsable(token);
  const channel = await db.notificationChannel.findUnique({ where: { id: row.channelId }, select: { name: true } });
  return {
    org: row.org,
    slack: { teamId: row.slackTeamId, userId: row.slackUserId, userName: row.slackUserName },
    channel: channel?.name ?? null,
    expiresAt: row.expiresAt,
    // The link was made for another organization's Slack: the person must switch to it first.
    sameOrg: row.orgId === actor.orgId,
  };
}

/**
 * Links the signed-in person to the Slack member the link was made for (POST /api/v1/me/slack-link).
 * The link is burnt by a compare-and-set. A Slack member is one person: whoever had it linked before
 * loses it (the member just proved, through Slack, that they are the one pressing buttons).
 */
export async function linkSlackAccount({ actor, token }: { actor: Actor; token: string }) {
  assertPerson(actor);
  const row = await findUsable(token);
  if (row.orgId !== actor.orgId) throw new AppError("forbidden", `this link is for the organization ${row.org.name}: switch to it, then open the link again`);
  return db.$transaction(async (tx) => {
    const burnt = await tx.slackLinkToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date(), usedByUserId: actor.id } });
    if (burnt.count !== 1) throw unusable();
    const previous = await tx.user.findMany({ where: { slackTeamId: row.slackTeamId, slackUserId: row.slackUserId, id: { not: actor.id } }, select: { id: true, email: true } });
    if (previous.length) await tx.user.updateMany({ where: { id: { in: previous.map((p) => p.id) } }, data: { slackUserId: null, slackTeamId: null } });
    const user = await tx.user.update({ where: { id: actor.id }, data: { slackUserId: row.slackUserId, slackTeamId: row.slackTeamId }, select: { id: true, email: true, slackUserId: true, slackTeamId: true } });
    await appendAudit(tx, {
      actor,
      action: "user.slack_linked",
      target: { type: "user", id: actor.id },
      data: { slackTeamId: row.slackTeamId, slackUserId: row.slackUserId, slackUserName: row.slackUserName, channelId: row.channelId, ...(previous.length ? { unlinkedFrom: previous.map((p) => p.email) } : {}) },
    });
    return { linked: true, slack: { teamId: user.slackTeamId, userId: user.slackUserId, userName: row.slackUserName } };
  });
}

/** The signed-in person's Slack link (GET /api/v1/me/slack-link). */
export async function getSlackLink({ actor }: { actor: Actor }) {
  const userId = actor.type === "user" ? actor.id : actor.userId;
  const user = userId ? await db.user.findUnique({ where: { id: userId }, select: { slackUserId: true, slackTeamId: true } }) : null;
  return user?.slackUserId && user.slackTeamId ? { linked: true, slack: { teamId: user.slackTeamId, userId: user.slackUserId } } : { linked: false, slack: null };
}

/** Unlinks the signed-in person's Slack member (DELETE /api/v1/me/slack-link): their buttons stop acting. */
export async function unlinkSlackAccount({ actor }: { actor: Actor }) {
  assertPerson(actor);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { slackUserId: true, slackTeamId: true } });
    if (!user.slackUserId) return { linked: false };
    await tx.user.update({ where: { id: actor.id }, data: { slackUserId: null, slackTeamId: null } });
    await appendAudit(tx, { actor, action: "user.slack_unlinked", target: { type: "user", id: actor.id }, data: { slackTeamId: user.slackTeamId, slackUserId: user.slackUserId } });
    return { linked: false };
  });
}
