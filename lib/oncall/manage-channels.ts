// Notification channels: CRUD, audited (never with credentials). A webhook channel's signing secret is
// shown once, when it is created or rotated.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { ZChannelCreate, ZChannelUpdate, type ChannelCreate, type ChannelUpdate } from "@/lib/oncall/schemas";
import { missingSecrets, openSecrets, publicChannel, sealSecrets, splitChannelInput } from "@/lib/oncall/channel-config";
import { policiesUsing } from "@/lib/oncall/policy-targets";

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === "P2002";

function nameTaken(name: string) {
  return new AppError("conflict", `a channel named '${name}' exists`);
}

export async function createChannel({ actor, input }: { actor: Actor; input: ChannelCreate | Record<string, unknown> }) {
  assertCan(actor, "oncall.manage");
  const data = ZChannelCreate.parse(input);
  const { config, secrets } = splitChannelInput(data);
  try {
    const row = await db.$transaction(async (tx) => {
      const c = await tx.notificationChannel.create({
        data: { orgId: actor.orgId, name: data.name, type: data.type, enabled: data.enabled, config: config as Prisma.InputJsonValue, secretsSealed: sealSecrets(secrets) },
      });
      await appendAudit(tx, { actor, action: "oncall.channel_created", target: { type: "notification_channel", id: c.id }, data: { name: c.name, type: c.type, config } });
      return c;
    });
    return { ...publicChannel(row), ...(data.type === "webhook" ? { signingSecret: secrets.signingSecret } : {}) };
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(data.name);
    throw err;
  }
}

export async function updateChannel({ actor, id, input }: { actor: Actor; id: string; input: ChannelUpdate | Record<string, unknown> }) {
  assertCan(actor, "oncall.manage");
  const data = ZChannelUpdate.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const prior = await tx.notificationChannel.findFirst({ where: { id, orgId: actor.orgId } });
      if (!prior) throw notFound("channel");
      if (prior.type !== data.type) throw new AppError("conflict", `channel '${prior.name}' is a ${prior.type} channel; create a new channel to change its type`);
      let stored: ReturnType<typeof openSecrets> = {};
      try {
        stored = openSecrets(prior.secretsSealed);
      } catch {
        // Sealed under another key: the update must supply every credential again (checked below).
      }
      const { config, secrets, generated } = splitChannelInput(data, stored);
      const missing = missingSecrets(data.type, secrets);
      if (missing.length) throw new AppError("validation_failed", `missing ${missing.join(", ")}`, missing.map((m) => ({ path: [m], message: "required" })));
      const row = await tx.notificationChannel.update({
        where: { id },
        data: { name: data.name, enabled: data.enabled, config: config as Prisma.InputJsonValue, secretsSealed: sealSecrets(secrets) },
      });
      await appendAudit(tx, {
        actor,
        action: "oncall.channel_updated",
        target: { type: "notification_channel", id },
        data: { name: row.name, enabled: row.enabled, config, ...(generated ? { signingSecretRotated: true } : {}) },
      });
      return { ...publicChannel(row), ...(generated ? { signingSecret: generated } : {}) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(data.name);
    throw err;
  }
}

/** Turns a channel off or on, keeping its configuration and credentials (a disabled channel sends nothing). */
export async function setChannelEnabled({ actor, id, enabled }: { actor: Actor; id: string; enabled: boolean }) {
  assertCan(actor, "oncall.manage");
  return db.$transaction(async (tx) => {
    const c = await tx.notificationChannel.findFirst({ where: { id, orgId: actor.orgId } });
    if (!c) throw notFound("channel");
    const row = await tx.notificationChannel.update({ where: { id }, data: { enabled } });
    await appendAudit(tx, { actor, action: enabled ? "oncall.channel_enabled" : "oncall.channel_disabled", target: { type: "notification_channel", id }, data: { name: c.name } });
    return publicChannel(row);
  });
}

export async function deleteChannel({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  await db.$transaction(async (tx) => {
    const c = await tx.notificationChannel.findFirst({ where: { id, orgId: actor.orgId } });
    if (!c) throw notFound("channel");
    const users = await policiesUsing(tx, actor.orgId, { channel: id });
    if (users.length) throw new AppError("conflict", `channel '${c.name}' is used by escalation policies: ${users.map((p) => p.name).join(", ")}`);
    await tx.notificationChannel.delete({ where: { id } });
    await appendAudit(tx, { actor, action: "oncall.channel_deleted", target: { type: "notification_channel", id }, data: { name: c.name, type: c.type } });
  });
}

export async function listChannels({ actor }: { actor: Actor }) {
  assertCan(actor, "oncall.manage");
  const rows = await db.notificationChannel.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" } });
  return rows.map(publicChannel);
}

/**
 * Names and types only, for people who may read on-call but not manage channels: escalation policies
 * name channels by id, and a reader must see which one. Configuration and credentials stay admin-only.
 */
export async function listChannelNames({ actor }: { actor: Actor }) {
  assertCan(actor, "oncall.read");
  return db.notificationChannel.findMany({ where: { orgId: actor.orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, type: true, enabled: true } });
}

export async function getChannel({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "oncall.manage");
  const row = await db.notificationChannel.findFirst({ where: { id, orgId: actor.orgId } });
  if (!row) throw notFound("channel");
  return publicChannel(row);
}
