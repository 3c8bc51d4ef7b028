// One-time links in a person's notification (email, Teams, webhook) that acknowledge the incident as
// that person without a session: `${publicUrl}/oncall/act/noa_<43 base64url chars>`. The token is 256
// random bits, so it cannot be guessed or forged (no signature is needed); only its SHA-256 is stored,
// bound to the org, the incident, the person and the action. It works once, for 24 hours, and acts with
// the person's role at the moment it is used. Opening the link only shows a page: acknowledging takes
// its POST, so mail scanners and link previews that fetch the URL change nothing.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { ActorVia } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { publicUrl } from "@/lib/env";
import { acknowledgeWithin } from "@/lib/incidents/change-incident-status";
import { incidentsChanged } from "@/lib/oncall/hooks";
import { personActor } from "@/lib/oncall/person-actor";

export const ACTION_LINK_TTL_MS = 24 * 3600_000;
export const ACTION_TOKEN_RE = /^noa_[A-Za-z0-9_-]{43}$/;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
export const actionLinkUrl = (token: string) => publicUrl(`/oncall/act/${token}`);

/** A new acknowledge link for one person's notification; returns its URL (the token is not kept). */
export async function createAckLink({ orgId, incidentId, userId, attemptId = null, via, now = new Date() }: { orgId: string; incidentId: string; userId: string; attemptId?: string | null; via: ActorVia; now?: Date }) {
  const token = `noa_${randomBytes(32).toString("base64url")}`;
  await db.actionLink.create({ data: { orgId, incidentId, userId, attemptId, via, action: "ack", tokenHash: hash(token), expiresAt: new Date(now.getTime() + ACTION_LINK_TTL_MS) } });
  return actionLinkUrl(token);
}

const unusable = () => new AppError("not_found", "this link is invalid, expired or already used; open the incident in NeuralOps instead");

async function findUsable(token: string) {
  if (!ACTION_TOKEN_RE.test(token)) throw unusable();
  const link = await db.actionLink.findUnique({
    where: { tokenHash: hash(token) },
    include: { incident: { select: { id: true, title: true, severity: true, status: true, acknowledgedBy: true } }, user: { select: { email: true, name: true } }, org: { select: { name: true } } },
  });
  if (!link || link.usedAt || link.expiresAt.getTime() <= Date.now()) throw unusable();
  return link;
}

/** What the link would do, for its page (GET /api/v1/oncall/act/:token); changes nothing. */
export async function previewActionLink(token: string) {
  const link = await findUsable(token);
  const i = link.incident;
  return {
    action: link.action,
    via: link.via,
    as: { email: link.user.email, name: link.user.name },
    org: link.org.name,
    incident: { id: i.id, title: i.title, severity: i.severity, status: i.status, acknowledgedBy: i.acknowledgedBy, url: publicUrl(`/incidents/${i.id}`) },
    expiresAt: link.expiresAt,
  };
}

/**
 * Acknowledges the incident as the link's person (POST). The link is burnt by a compare-and-set in the
 * same transaction as the acknowledgement: both happen, or neither (an incident that is no longer open
 * answers 409 and leaves the link as it was, though it can do nothing more).
 */
export async function ackWithLink({ token }: { token: string }) {
  const link = await findUsable(token);
  const actor = await personActor(link.orgId, link.userId, link.via as ActorVia);
  if (!actor) throw new AppError("forbidden", `${link.user.email} is no longer a member of ${link.org.name}`);
  const incident = await db.$transaction(async (tx) => {
    const burnt = await tx.actionLink.updateMany({ where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (burnt.count !== 1) throw unusable();
    return acknowledgeWithin(tx, { actor, id: link.incidentId, note: `acknowledged from the ${link.via} notification's link` });
  });
  await incidentsChanged([incident.id], "acknowledged");
  return { acknowledged: true, incident: { id: incident.id, title: incident.title, status: incident.status, acknowledgedBy: incident.acknowledgedBy, url: publicUrl(`/incidents/${incident.id}`) } };
}
