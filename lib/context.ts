// Who is acting, and through which door. Every domain function takes an explicit actor (never headers()).
import type { Role } from "@/lib/authz/permissions";

export type Actor = {
  type: "user" | "token" | "system";
  id: string;
  orgId: string;
  role: Role | string;
  /** API tokens may be narrowed to a subset of their role's permissions; empty/undefined = the whole role. */
  scopes?: readonly string[];
  label?: string;
  /** The person behind the actor: the user, or the user who created the token. Four-eyes rules compare this. */
  userId?: string;
  /**
   * The door a person used outside the app: a Slack button, or a one-time link in an email, Teams or
   * webhook notification. Every audit event the actor writes records it (`data.via`).
   */
  via?: ActorVia;
};

export type ActorVia = "slack" | "email" | "teams" | "webhook";

/** Who "the same person" is for separation of duties: a user and the tokens they created are one principal. */
export function principalOf(actor: Actor): string {
  if (actor.type === "user") return `user:${actor.id}`;
  return actor.userId ? `user:${actor.userId}` : `${actor.type}:${actor.id}`;
}

export type RequestMeta = {
  source: "web" | "api" | "worker" | "cli";
  requestId?: string;
  ip?: string;
  userAgent?: string;
};

/** The actor for background jobs and CLI maintenance: acts within one org, with admin rights. */
export function systemActor(name: string, orgId: string): Actor {
  return { type: "system", id: name, orgId, role: "admin", label: `system:${name}` };
}
