// One notification (job oncall.deliver {attemptId}): send it through its channel under the org's
// egress policy, and record every try on the NotificationAttempt row and the incident's timeline. A
// person paged by email, Teams or webhook gets a one-time link that acknowledges as them (a new one per
// try: only the SHA-256 of a link is kept, so a retry cannot repeat the last one).
// A failure that may pass is thrown so BullMQ retries with exponential backoff; the last try, or a
// failure that will not pass (a 4xx, a refused destination, a missing credential), marks the row failed.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { systemActor, type ActorVia } from "@/lib/context";
import { timeline } from "@/lib/incidents/ingest-signals";
import { egressPolicyOf } from "@/lib/egress/settings";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import { openSecrets, type OpenChannel } from "@/lib/oncall/channel-config";
import { APPROVAL_EVENT, incidentSnapshot, runSnapshot, type AnyNotification, type NotificationEvent } from "@/lib/oncall/messages";
import { createAckLink } from "@/lib/oncall/action-links";
import type { ChannelType } from "@/lib/oncall/schemas";
import type { Sender } from "@/lib/oncall/senders/types";
import { sendWebhook } from "@/lib/oncall/senders/webhook";
import { sendSlack } from "@/lib/oncall/senders/slack";
import { sendTeams } from "@/lib/oncall/senders/teams";
import { sendEmail } from "@/lib/oncall/senders/email";
import { sendPagerDuty } from "@/lib/oncall/senders/pagerduty";

const SENDERS: Record<ChannelType, Sender> = { webhook: sendWebhook, slack: sendSlack, teams: sendTeams, email: sendEmail, pagerduty: sendPagerDuty };

/** Longest a single try may take before it counts as failed (and is retried). */
const TRY_TIMEOUT_MS = 15_000;

const ERROR_MAX = 1000;

// People are given a link that acknowledges as them; Slack has buttons and PagerDuty its own acknowledge.
const LINK_VIA: Partial<Record<ChannelType, ActorVia>> = { email: "email", teams: "teams", webhook: "webhook" };

type Row = Prisma.NotificationAttemptGetPayload<{ include: { channel: true; incident: true; run: { include: { approvals: true; incident: { select: { id: true; title: true } } } } } }>;

/** What the notification says: the incident or the run as it is now; a string says why there is nothing to send. */
async function compose(row: Row, attempt: number): Promise<AnyNotification | string> {
  const userId = row.recipient.startsWith("user:") ? row.recipient.slice(5) : null;
  const user = userId ? await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } }) : null;
  const forUser = user ? { forUser: user } : {};
  if (row.event === APPROVAL_EVENT) {
    const run = row.run;
    if (!run) return "the run was deleted";
    // Decided (or expired) before the notification went out: asking now would only mislead.
    if (run.status !== "awaiting_approval") return `not sent: the run is already ${run.status.replaceAll("_", " ")}`;
    return { event: APPROVAL_EVENT, run: runSnapshot(run, run.approvals, run.incident), attempt, ...forUser };
  }
  const inc = row.incident;
  if (!inc) return "the incident was deleted";
  const event = row.event as NotificationEvent;
  const via = LINK_VIA[row.channelType];
  const paging = event === "incident.triggered" || event === "incident.escalated";
  const actions = user && via && paging && inc.status === "open" ? { ack: await createAckLink({ orgId: row.orgId, incidentId: inc.id, userId: user.id, attemptId: row.id, via }) } : undefined;
  return {
    event,
    incident: incidentSnapshot(inc),
    step: row.step,
    attempt,
    ...forUser,
    by: event === "incident.acknowledged" ? inc.acknowledgedBy : event === "incident.resolved" ? inc.resolvedBy : null,
    ...(actions ? { actions } : {}),
  };
}

export async function deliverNotification({ attemptId }: { attemptId: string }, { attempt, maxAttempts }: { attempt: number; maxAttempts: number }) {
  const row = await db.notificationAttempt.findUnique({
    where: { id: attemptId },
    include: { channel: true, incident: true, run: { include: { approvals: { orderBy: { createdAt: "asc" } }, incident: { select: { id: true, title: true } } } } },
  });
  if (!row || row.status !== "queued") return { skipped: row ? row.status : "no such notification" };
  const actor = systemActor("oncall", row.orgId);
  const finish = async (data: Prisma.NotificationAttemptUpdateInput, event: string, details: Record<string, unknown>) => {
    await db.$transaction(async (tx) => {
      await tx.notificationAttempt.update({ where: { id: row.id }, data: { attempts: attempt, ...data } });
      // A run's approval requests are listed on the run's page (GET /api/v1/runs/:id/notifications), not on a timeline.
      if (row.incidentId) {
        await timeline(tx, row.orgId, row.incidentId, event, actor, { channel: row.channelName, type: row.channelType, recipient: row.address ?? row.recipient, attempt, event: row.event, ...details });
      }
    });
  };

  const channel = row.channel;
  if (!channel || !channel.enabled) {
    const error = channel ? `channel '${channel.name}' is disabled` : `channel '${row.channelName}' was deleted`;
    await finish({ status: "failed", error }, "notification_failed", { error, final: true });
    return { failed: error };
  }
  let secrets: OpenChannel["secrets"];
  try {
    secrets = openSecrets(channel.secretsSealed);
  } catch {
    const error = `the credentials of channel '${channel.name}' cannot be decrypted (was SECRETS_KEY changed?): save them again`;
    await finish({ status: "failed", error }, "notification_failed", { error, final: true });
    return { failed: error };
  }
  const notification = await compose(row, attempt);
  if (typeof notification === "string") {
    await finish({ status: "failed", error: notification }, "notification_failed", { error: notification, final: true });
    return { failed: notification };
  }
  const open: OpenChannel = { id: channel.id, orgId: channel.orgId, name: channel.name, type: channel.type, enabled: channel.enabled, config: channel.config as Record<string, unknown>, secrets };

  const started = Date.now();
  try {
    const res = await SENDERS[channel.type]({
      channel: open,
      notification,
      address: row.address,
      deliveryId: row.id,
      egress: { policy: await egressPolicyOf(row.orgId) },
      signal: AbortSignal.timeout(TRY_TIMEOUT_MS),
    });
    const latencyMs = Date.now() - started;
    await finish({ status: "sent", latencyMs, responseStatus: res.status, externalRef: res.externalRef ?? null, error: null, sentAt: new Date() }, "notification_sent", { latencyMs });
    return { sent: true, latencyMs };
  } catch (e) {
    const latencyMs = Date.now() - started;
    const error = (e as Error).message.slice(0, ERROR_MAX);
    const final = e instanceof PermanentActionError || attempt >= maxAttempts;
    const status = (e as PermanentActionError).output?.status;
    await finish(
      { status: final ? "failed" : "queued", latencyMs, error, ...(typeof status === "number" ? { responseStatus: status } : {}) },
      "notification_failed",
      { error, final, ...(final ? {} : { retry: `attempt ${attempt + 1} of ${maxAttempts} follows` }) },
    );
    if (!final) throw e;
    return { failed: error };
  }
}
