// Slack's interactivity request URL (POST /api/v1/integrations/slack/interactions): a button pressed on
// a notification. Slack's signature is the only credential, so nothing is trusted before it verifies:
//
// 1. The payload names the message the button was on (container.channel_id + message_ts). The
//    notification that posted that message (NotificationAttempt.externalRef "channel:ts") gives the
//    NeuralOps channel, and only that channel's signing secret may verify the request (constant-time,
//    on the raw body, timestamp within 5 minutes; a signature seen before is refused).
// 2. The button's value must be that notification's own incident or run: one organization's signing
//    secret can therefore never act on another organization's incident, even if its channel recorded the
//    same message reference.
// 3. The Slack member must be linked to a NeuralOps user (else they get, privately, a one-time link to
//    link their account), who must be a member of the channel's organization. The action then runs AS
//    that user with their current role — the same domain functions as the web (assertCan, four-eyes,
//    self-approval): audited with `via: "slack"`.
// 4. The message is updated (chat.update) to show what happened; a refusal is told privately
//    (chat.postEphemeral) and leaves the message as it was. Slack needs an answer within 3 seconds,
//    so each Slack call has a short deadline and its failure only loses the message update.
import { createHash } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { redis, redisKey } from "@/lib/redis";
import { egressPolicyOf } from "@/lib/egress/settings";
import { findUnstorableString } from "@/lib/storable-text";
import { acknowledgeIncident, resolveIncident } from "@/lib/incidents/change-incident-status";
import { approveRun, rejectRun } from "@/lib/orchestrator/approve-run";
import { openSecrets, type OpenChannel } from "@/lib/oncall/channel-config";
import { APPROVAL_EVENT, incidentSnapshot, runSnapshot, type NotificationEvent } from "@/lib/oncall/messages";
import { freshSlackTimestamp, SLACK_MAX_SKEW_SECONDS, slackSignatureMatches } from "@/lib/oncall/slack-signature";
import { SLACK_ACTIONS, slackApi, slackApprovalMessage, slackMessage } from "@/lib/oncall/senders/slack";
import { personActor } from "@/lib/oncall/person-actor";
import { createSlackLinkToken } from "@/lib/oncall/slack-link";
import { silenceIncident } from "@/lib/oncall/silence-incident";

/** Interaction payloads carry the whole message; 1 MiB is far above any real one. */
export const MAX_INTERACTION_BYTES = 1024 * 1024;
const SLACK_CALL_TIMEOUT_MS = 2500;

const ZPayload = z.object({
  type: z.string(),
  team: z.object({ id: z.string().max(50) }).nullish(),
  user: z.object({ id: z.string().min(1).max(50), username: z.string().max(200).optional(), name: z.string().max(200).optional(), team_id: z.string().max(50).optional() }),
  container: z.object({ channel_id: z.string().min(1).max(50), message_ts: z.string().min(1).max(50) }),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1),
});
type Payload = z.infer<typeof ZPayload>;

export type InteractionOutcome = { ok: boolean; outcome: string; message?: string };

const cannotVerify = (why: string) => new AppError("unauthenticated", `request not verified: ${why}`);

type Verified = {
  payload: Payload;
  attempt: { id: string; orgId: string; incidentId: string | null; runId: string | null; event: string; step: number | null };
  channel: OpenChannel;
};

const INCIDENT_ACTIONS = new Set<string>([SLACK_ACTIONS.acknowledge, SLACK_ACTIONS.resolve, SLACK_ACTIONS.silence1h]);
const RUN_ACTIONS = new Set<string>([SLACK_ACTIONS.approve, SLACK_ACTIONS.reject]);

/** The incident or run a notification is about, for this kind of button. */
const ownIdOf = (attempt: Verified["attempt"], actionId: string) => (RUN_ACTIONS.has(actionId) ? attempt.runId : attempt.incidentId);

/**
 * The notification the button's message came from, and its channel, once that channel's secret verified
 * the request. Should several notifications claim the message (only a channel whose Slack API is not
 * Slack's could make that happen), the verified one about the button's own incident or run is taken.
 */
async function verify(rawBody: Uint8Array, timestamp: string | null, signature: string | null, now: Date): Promise<Verified> {
  if (!freshSlackTimestamp(timestamp, now)) throw cannotVerify("missing or stale X-Slack-Request-Timestamp (more than 5 minutes from now)");
  if (!signature?.startsWith("v0=")) throw cannotVerify("missing X-Slack-Signature");
  let payload: Payload;
  try {
    const json: unknown = JSON.parse(new URLSearchParams(Buffer.from(rawBody).toString("utf8")).get("payload") ?? "");
    if (findUnstorableString(json)) throw new Error("unstorable text");
    payload = ZPayload.parse(json);
  } catch {
    throw cannotVerify("not a Slack interaction payload");
  }
  const candidates = await db.notificationAttempt.findMany({
    where: { externalRef: `${payload.container.channel_id}:${payload.container.message_ts}`, channelType: "slack", channelId: { not: null } },
    include: { channel: true },
    orderBy: { at: "asc" },
    take: 20,
  });
  const verified: Verified[] = [];
  for (const c of candidates) {
    if (!c.channel) continue;
    let secrets;
    try {
      secrets = openSecrets(c.channel.secretsSealed);
    } catch {
      continue;
    }
    if (!secrets.signingSecret || !slackSignatureMatches(secrets.signingSecret, timestamp, rawBody, signature)) continue;
    const ch = c.channel;
    verified.push({
      payload,
      attempt: { id: c.id, orgId: c.orgId, incidentId: c.incidentId, runId: c.runId, event: c.event, step: c.step },
      channel: { id: ch.id, orgId: ch.orgId, name: ch.name, type: ch.type, enabled: ch.enabled, config: ch.config as Record<string, unknown>, secrets },
    });
  }
  if (!verified.length) throw cannotVerify("no Slack channel with a signing secret that verifies this request posted that message");
  // Each signed request is acted on once: a replay inside the 5-minute window is refused too.
  const fresh = await redis().set(redisKey("slack", "interaction", createHash("sha256").update(signature).digest("hex")), "1", "EX", SLACK_MAX_SKEW_SECONDS * 2, "NX");
  if (fresh === null) throw cannotVerify("this request was already received");
  const action = payload.actions[0]!;
  return verified.find((v) => ownIdOf(v.attempt, action.action_id) === action.value) ?? verified[0]!;
}

/** Runs the button's action as `actor`; returns what happened, in words for the message. */
async function act(actor: Actor, actionId: string, id: string): Promise<{ outcome: string; note: string }> {
  const who = actor.label ?? actor.id;
  switch (actionId) {
    case SLACK_ACTIONS.acknowledge:
      await acknowledgeIncident({ actor, id, note: "acknowledged from Slack" });
      return { outcome: "acknowledged", note: `Acknowledged by ${who}` };
    case SLACK_ACTIONS.resolve:
      await resolveIncident({ actor, id, note: "resolved from Slack" });
      return { outcome: "resolved", note: `Resolved by ${who}` };
    case SLACK_ACTIONS.silence1h: {
      const { silence } = await silenceIncident({ actor, incidentId: id, minutes: 60, source: "Slack" });
      return { outcome: "silenced", note: `Silenced by ${who} until ${silence.endsAt.toISOString().slice(11, 16)} UTC` };
    }
    case SLACK_ACTIONS.approve: {
      const run = await approveRun({ actor, id });
      return { outcome: run.status === "awaiting_approval" ? "approval_recorded" : "approved", note: `Approved by ${who}${run.status === "awaiting_approval" ? " (more approvals needed)" : ""}` };
    }
    case SLACK_ACTIONS.reject:
      await rejectRun({ actor, id, comment: "rejected from Slack" });
      return { outcome: "rejected", note: `Rejected by ${who}` };
  }
  throw new AppError("bad_request", `unknown action ${actionId}`);
}

const deadline = () => AbortSignal.timeout(SLACK_CALL_TIMEOUT_MS);

function warn(msg: string, err: unknown) {
  console.error(JSON.stringify({ level: "warn", msg, error: (err as Error)?.message ?? String(err) }));
}

/** Tells only the member who pressed the button (chat.postEphemeral). */
async function tellPrivately(v: Verified, text: string) {
  const post = async () =>
    slackApi(v.channel, "chat.postEphemeral", { channel: v.payload.container.channel_id, user: v.payload.user.id, text }, { egress: { policy: await egressPolicyOf(v.channel.orgId) }, signal: deadline() });
  await post().catch((e) => warn("could not post the ephemeral Slack reply", e));
}

/**
 * Rewrites the message the button was on with the incident or run as it is now, and a line saying what
 * happened. The action is done whatever becomes of this.
 */
async function updateMessage(v: Verified, note: string) {
  await rewrite(v, note).catch((e) => warn("could not update the Slack message", e));
}

async function rewrite(v: Verified, note: string) {
  const [channelId, ts] = [v.payload.container.channel_id, v.payload.container.message_ts];
  let message: { text: string; blocks: unknown[] };
  if (v.attempt.event === APPROVAL_EVENT && v.attempt.runId) {
    const run = await db.run.findUniqueOrThrow({ where: { id: v.attempt.runId }, include: { approvals: { orderBy: { createdAt: "asc" } }, incident: { select: { id: true, title: true } } } });
    message = slackApprovalMessage({ event: APPROVAL_EVENT, run: runSnapshot(run, run.approvals, run.incident), attempt: 1, note });
  } else if (v.attempt.incidentId) {
    const inc = await db.incident.findUniqueOrThrow({ where: { id: v.attempt.incidentId } });
    const event: NotificationEvent = inc.status === "open" ? (v.attempt.event as NotificationEvent) : inc.status === "acknowledged" ? "incident.acknowledged" : "incident.resolved";
    message = slackMessage({ event, incident: incidentSnapshot(inc), step: v.attempt.step, attempt: 1, by: inc.status === "acknowledged" ? inc.acknowledgedBy : inc.resolvedBy, note });
  } else return;
  await slackApi(v.channel, "chat.update", { channel: channelId, ts, ...message }, { egress: { policy: await egressPolicyOf(v.channel.orgId) }, signal: deadline() });
}

/** Plain words for a refusal, for the person who pressed the button. */
function refusalText(err: AppError, actor: Actor): string {
  if (err.code === "forbidden" && err.message.startsWith("missing permission")) return `Not done: your role in NeuralOps (${actor.role}) does not allow this (${err.message}).`;
  return `Not done: ${err.message}.`;
}

export async function handleSlackInteraction({ rawBody, timestamp, signature, now = new Date() }: { rawBody: Uint8Array; timestamp: string | null; signature: string | null; now?: Date }): Promise<InteractionOutcome> {
  const v = await verify(rawBody, timestamp, signature, now);
  const { payload, attempt, channel } = v;
  const action = payload.actions[0]!;
  // Other payload types (a shortcut, a modal) and the link-only "Open" button need nothing from us.
  if (payload.type !== "block_actions" || !(INCIDENT_ACTIONS.has(action.action_id) || RUN_ACTIONS.has(action.action_id))) return { ok: true, outcome: "ignored" };
  const ownId = ownIdOf(attempt, action.action_id);
  if (!ownId || action.value !== ownId) {
    const message = "this button does not belong to the message it was pressed on";
    await tellPrivately(v, `Not done: ${message}.`);
    return { ok: false, outcome: "refused", message };
  }

  const teamId = payload.user.team_id ?? payload.team?.id;
  const user = teamId ? await db.user.findFirst({ where: { slackTeamId: teamId, slackUserId: payload.user.id }, select: { id: true } }) : null;
  if (!teamId || !user) {
    const url = teamId
      ? await createSlackLinkToken({ orgId: channel.orgId, channelId: channel.id, slackTeamId: teamId, slackUserId: payload.user.id, slackUserName: payload.user.username ?? payload.user.name ?? null })
      : null;
    const message = "your Slack account is not linked to a NeuralOps user";
    await tellPrivately(
      v,
      url
        ? `Not done: ${message}. Open <${url}|this link> signed in to NeuralOps to link it (valid 30 minutes, works once), then press the button again.`
        : `Not done: ${message}, and Slack did not say which workspace you are in.`,
    );
    return { ok: false, outcome: "link_required", message };
  }
  const actor = await personActor(channel.orgId, user.id, "slack");
  if (!actor) {
    const message = "your NeuralOps user is not a member of the organization this notification belongs to";
    await tellPrivately(v, `Not done: ${message}.`);
    return { ok: false, outcome: "refused", message };
  }

  try {
    const done = await act(actor, action.action_id, ownId);
    await updateMessage(v, done.note);
    return { ok: true, outcome: done.outcome, message: done.note };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await tellPrivately(v, refusalText(err, actor));
    return { ok: false, outcome: "refused", message: err.message };
  }
}
