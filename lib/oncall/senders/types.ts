// The contract of a channel type's sender. Errors follow lib/orchestrator/actions/send.ts: a
// PermanentActionError is not retried (4xx, egress denied, bad configuration); anything else is.
import type { EgressGuard } from "@/lib/egress/fetch";
import type { OpenChannel } from "@/lib/oncall/channel-config";
import type { AnyNotification } from "@/lib/oncall/messages";

export type SendContext = {
  channel: OpenChannel;
  notification: AnyNotification;
  /** The person's address on this channel (email, Slack member id); null: the channel's own destination. */
  address: string | null;
  /** Stable across retries of one delivery: the receiver's deduplication key where it has one. */
  deliveryId: string;
  egress: EgressGuard;
  signal: AbortSignal;
};

export type SendResult = { status: number; externalRef?: string };

export type Sender = (ctx: SendContext) => Promise<SendResult>;
