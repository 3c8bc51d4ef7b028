// Email channel: nodemailer over SMTP, with the channel's own server or the server's SMTP_URL. A
// channel's own SMTP host is an organization's choice, so the org's egress policy applies to it as to
// every other outgoing call: the name is resolved once, checked, and the connection made to the checked
// address (TLS still verifies the certificate against the name). SMTP_URL is the operator's and is trusted.
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "@/lib/env";
import { resolveAllowed, EgressDeniedError } from "@/lib/egress/fetch";
import { PermanentActionError } from "@/lib/orchestrator/actions/types";
import type { EmailConfig } from "@/lib/oncall/channel-config";
import { approvalHeadline, headline, isApproval, labelLines, type AnyNotification, type ApprovalNotification } from "@/lib/oncall/messages";
import type { Sender } from "@/lib/oncall/senders/types";

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function emailMessage(n: AnyNotification) {
  if (isApproval(n)) return approvalEmail(n);
  const i = n.incident;
  const facts = [
    ["Severity", i.severity],
    ["Status", i.status],
    ...(i.service ? [["Service", i.service]] : []),
    ...(n.step !== null ? [["Escalation step", String(n.step + 1)]] : []),
    ["Opened", i.openedAt],
  ];
  const labels = labelLines(i.labels, 30);
  const ack = n.actions?.ack;
  const text = [
    headline(n),
    "",
    ...facts.map(([k, v]) => `${k}: ${v}`),
    ...(labels.length ? ["", "Labels:", ...labels.map((l) => `  ${l}`)] : []),
    "",
    i.url,
    ...(ack ? ["", `Acknowledge (one click, valid 24 h, works once): ${ack}`] : []),
    "",
  ].join("\n");
  const html = [
    `<p><strong><a href="${escapeHtml(i.url)}">${escapeHtml(i.title)}</a></strong><br>${escapeHtml(headline(n))}</p>`,
    `<table>${facts.map(([k, v]) => `<tr><td>${escapeHtml(k!)}</td><td>${escapeHtml(v!)}</td></tr>`).join("")}</table>`,
    labels.length ? `<p><code>${labels.map(escapeHtml).join("<br>")}</code></p>` : "",
    `<p>${ack ? `<a href="${escapeHtml(ack)}">Acknowledge</a> (valid 24 h, works once) · ` : ""}<a href="${escapeHtml(i.url)}">Open in NeuralOps</a></p>`,
  ].join("\n");
  return { subject: headline(n).slice(0, 250), text, html };
}

function approvalEmail(n: ApprovalNotification) {
  const r = n.run;
  const facts = [
    ["Playbook", r.playbook],
    ["Risk", r.risk],
    ["Requested by", r.requestedBy],
    ["Approvals", `${r.approvals.filter((a) => a.decision === "approved").length} of ${r.requiredApprovals}`],
    ...(r.reason ? [["Reason", r.reason]] : []),
    ...(r.incident ? [["Incident", r.incident.title]] : []),
    ...(r.expiresAt ? [["Approve before", r.expiresAt]] : []),
  ];
  const text = [approvalHeadline(n), "", ...facts.map(([k, v]) => `${k}: ${v}`), "", `Review and decide: ${r.url}`, ""].join("\n");
  const html = [
    `<p><strong><a href="${escapeHtml(r.url)}">${escapeHtml(approvalHeadline(n))}</a></strong></p>`,
    `<table>${facts.map(([k, v]) => `<tr><td>${escapeHtml(k!)}</td><td>${escapeHtml(v!)}</td></tr>`).join("")}</table>`,
    `<p><a href="${escapeHtml(r.url)}">Review and decide in NeuralOps</a></p>`,
  ].join("\n");
  return { subject: approvalHeadline(n).slice(0, 250), text, html };
}

async function transportOptions(config: EmailConfig, password: string | undefined, egress: Parameters<typeof resolveAllowed>[1]): Promise<SMTPTransport.Options | string> {
  if (!config.smtp) {
    const url = env().SMTP_URL;
    if (!url) throw new PermanentActionError("no SMTP server: set the channel's smtp settings or the server's SMTP_URL");
    return url;
  }
  const { host, port, secure, username } = config.smtp;
  let address: string;
  try {
    address = (await resolveAllowed(new URL(`smtp://${host.includes(":") ? `[${host}]` : host}`), egress))[0]!.address;
  } catch (e) {
    if (e instanceof EgressDeniedError) throw new PermanentActionError(`SMTP ${host}: ${e.message}`);
    throw new Error(`SMTP ${host}: could not resolve the name`, { cause: e });
  }
  return { host: address, port, secure, ...(username ? { auth: { user: username, pass: password ?? "" } } : {}), tls: { servername: host }, ...TIMEOUTS };
}

// SMTP reply codes 5xx and these client errors will not change on a retry.
const PERMANENT_CODES = new Set(["EAUTH", "EENVELOPE", "EMESSAGE"]);

export const sendEmail: Sender = async ({ channel, notification, address, egress }) => {
  const config = channel.config as EmailConfig;
  const to = address ? [address] : config.to;
  if (!to.length) throw new PermanentActionError("the channel has no recipients (to)");
  const options = await transportOptions(config, channel.secrets.smtpPassword, egress);
  const transport = nodemailer.createTransport(typeof options === "string" ? options : options);
  try {
    const info = await transport.sendMail({ from: config.from ?? env().SMTP_FROM, to, ...emailMessage(notification) });
    return { status: 250, externalRef: info.messageId };
  } catch (e) {
    const err = e as Error & { code?: string; responseCode?: number };
    const why = `SMTP: ${err.message}`;
    if ((err.responseCode ?? 0) >= 500 || PERMANENT_CODES.has(err.code ?? "")) throw new PermanentActionError(why);
    throw new Error(why);
  } finally {
    transport.close();
  }
};
