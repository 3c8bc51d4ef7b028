// The agent's one outbound connection: dial, prove the identity, heartbeat, take triggers, report results,
// and when the socket goes, dial again with exponential backoff and full jitter (a control-plane restart
// must not bring every agent back in the same second).
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import WebSocket from "ws";
import { clipOutcome, helloBytes, MAX_MESSAGE_BYTES, signBytes, ZServerMessage, type AgentAction, type AgentMessage, type Outcome, type TriggerPayload } from "@/lib/agents/protocol";
import type { AgentIdentity } from "./kube/identity-secret";
import type { Journal } from "./journal";
import { checkTrigger } from "./verify-trigger";

export type ConnectionOptions = {
  url: string;
  identity: AgentIdentity;
  allowlist: ReadonlySet<AgentAction>;
  journal: Journal;
  version: string;
  perform: (trigger: TriggerPayload) => Promise<Outcome>;
  reconnect: { minMs: number; maxMs: number };
  log: (line: string) => void;
};

/** Full jitter: uniform in [0, min(max, min·2^attempt)], never below min/2 so a flapping link is not hammered. */
export function backoffMs(attempt: number, r: { minMs: number; maxMs: number }, random = Math.random): number {
  const cap = Math.min(r.maxMs, r.minMs * 2 ** Math.min(attempt, 30));
  return Math.max(r.minMs / 2, Math.round(random() * cap));
}

export class AgentConnection {
  private ws: WebSocket | null = null;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly privateKey: KeyObject;
  private readonly controlPlaneKey: KeyObject;

  constructor(private readonly opts: ConnectionOptions) {
    this.privateKey = createPrivateKey(opts.identity.privateKeyPem);
    this.controlPlaneKey = createPublicKey(opts.identity.controlPlanePublicKeyPem);
  }

  /** Authenticated and welcomed: /readyz reports this. */
  get connected(): boolean {
    return this.ready;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.ws?.close(1000, "agent stopping");
    this.ws = null;
  }

  private dial(): void {
    const ws = new WebSocket(this.opts.url, { maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on("message", (data) => {
      let msg;
      try {
        msg = ZServerMessage.parse(JSON.parse(data.toString()));
      } catch {
        this.opts.log("ignoring an unreadable message from the control plane");
        return;
      }
      switch (msg.type) {
        case "challenge":
          return this.send({
            type: "hello",
            clusterId: this.opts.identity.clusterId,
            signature: signBytes(this.privateKey, helloBytes(this.opts.identity.clusterId, msg.nonce)),
            version: this.opts.version,
            allowlist: [...this.opts.allowlist],
          });
        case "welcome":
          this.ready = true;
          this.attempt = 0;
          this.opts.log(`connected to ${this.opts.url}`);
          this.heartbeat = setInterval(() => this.send({ type: "heartbeat", running: this.opts.journal.running() }), msg.heartbeatMs);
          // Results finished while the socket was down, or sent but never acknowledged.
          for (const r of this.opts.journal.unacknowledged()) this.sendResult(r.nonce, r.outcome);
          return;
        case "trigger":
          return void this.onTrigger(msg.trigger);
        case "result_ack":
          return this.opts.journal.ack(msg.nonce);
        case "result_rejected":
          // The control plane recorded the trigger as failed; the nonce stays used, so it never runs again.
          this.opts.log(`the control plane refused the result of ${msg.nonce}: ${msg.reason}`);
          return this.opts.journal.ack(msg.nonce);
        case "error":
          return this.opts.log(`control plane: ${msg.code}: ${msg.message}`);
      }
    });
    ws.on("close", (code, reason) => {
      if (this.ws !== ws) return;
      this.ready = false;
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      this.ws = null;
      if (this.stopped) return;
      const delay = backoffMs(this.attempt++, this.opts.reconnect);
      this.opts.log(`disconnected (${code}${reason.length ? ` ${reason.toString()}` : ""}); reconnecting in ${delay} ms`);
      this.retry = setTimeout(() => this.dial(), delay);
    });
    ws.on("error", (e) => this.opts.log(`connection error: ${e.message}`));
  }

  private send(m: AgentMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m));
  }

  /** Clipped again on the way out: a journal written by an older agent may hold an outcome over the limits. */
  private sendResult(nonce: string, outcome: Outcome): void {
    this.send({ type: "result", nonce, outcome: clipOutcome(outcome) });
  }

  private async onTrigger(raw: unknown): Promise<void> {
    const { journal } = this.opts;
    journal.prune();
    const v = checkTrigger(raw, { clusterId: this.opts.identity.clusterId, controlPlaneKey: this.controlPlaneKey, allowlist: this.opts.allowlist, journal });
    if (v.kind === "reject") {
      this.opts.log(`rejected trigger ${v.nonce ?? "?"}: ${v.code}: ${v.reason}`);
      return this.send({ type: "rejected", nonce: v.nonce, code: v.code, reason: v.reason });
    }
    const { nonce } = v.payload;
    if (v.kind === "redelivery") {
      // Already started: say so again; the result follows from the journal (now if done, later if running).
      this.send({ type: "accepted", nonce });
      if (v.entry.state === "done" && v.entry.outcome) this.sendResult(nonce, v.entry.outcome);
      return;
    }
    journal.start(nonce, v.payloadHash, Date.parse(v.payload.expiresAt));
    this.send({ type: "accepted", nonce });
    const p = v.payload;
    this.opts.log(`${p.mode === "dryRun" ? "dry run" : "running"} ${p.action} (run ${p.runId ?? "-"} step ${p.stepId ?? "-"} playbook ${p.playbookDigest?.slice(0, 12) ?? "-"})`);
    let outcome: Outcome;
    try {
      outcome = await this.opts.perform(p);
    } catch (e) {
      outcome = { ok: false, exitStatus: 1, summary: `${p.action} failed`, error: (e as Error).message };
    }
    // Clipped before it is journaled: what is kept is what can be delivered, and the journal stays small.
    outcome = clipOutcome(outcome);
    journal.finish(nonce, outcome);
    // If the socket dropped meanwhile, the result waits in the journal for the next welcome.
    this.sendResult(nonce, outcome);
  }
}
