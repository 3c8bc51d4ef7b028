// The permission table: the one place that says which role may do what. Roles are cumulative.
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

const VIEWER = [
  "incidents.read",
  "runs.read",
  "playbooks.read",
  "audit.read",
  "integrations.read",
  "exports.read",
  // On-call schedules, who is on call, their calendar feeds.
  "oncall.read",
] as const;
const OPERATOR = [
  "incidents.ack",
  "incidents.resolve",
  "runs.request",
  "runs.dryrun",
  "runs.cancel",
  "exports.create",
  "monitors.manage",
  // Pushing alerts and samples in (Alertmanager webhook, remote_write); give integrations a token
  // scoped to just this permission.
  "signals.ingest",
  // Silences and maintenance windows: whoever is on call must be able to mute a known problem.
  "silences.manage",
] as const;
const APPROVER = ["runs.approve", "runs.reject"] as const;
const ADMIN = [
  "tokens.manage",
  "users.manage",
  "playbooks.manage",
  "keys.manage",
  "integrations.manage",
  "settings.manage",
  "agents.manage",
  // On-call: schedules, notification channels (they hold credentials), escalation policies, routes, inhibition.
  "oncall.manage",
  // Approve a run whose dry-run says it cannot run (stated reason, audited): someone who can also fix what is missing.
  "runs.override",
] as const;

export type Permission = (typeof VIEWER)[number] | (typeof OPERATOR)[number] | (typeof APPROVER)[number] | (typeof ADMIN)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: VIEWER,
  operator: [...VIEWER, ...OPERATOR],
  approver: [...VIEWER, ...OPERATOR, ...APPROVER],
  admin: [...VIEWER, ...OPERATOR, ...APPROVER, ...ADMIN],
};

export const ALL_PERMISSIONS: readonly Permission[] = ROLE_PERMISSIONS.admin;

/**
 * Decisions that must be attributable to a person: an actor with no human behind it (a service token,
 * a background job) never approves or rejects, whatever its role — otherwise a quorum could be met by
 * principals nobody owns.
 */
export const NEEDS_A_PERSON: readonly Permission[] = ["runs.approve", "runs.reject", "runs.override"];
/** A service token administers neither people nor tokens: its rights cannot outlive or widen anyone's. */
export const NOT_FOR_SERVICE_TOKENS: readonly Permission[] = [...NEEDS_A_PERSON, "tokens.manage", "users.manage"];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Rank for "at least" comparisons in UI (e.g. which roles an admin may hand out); never for authorization. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** The least role that holds `permission` (roles are cumulative): "who could do this for me?" in UI notes. */
export function minimumRole(permission: Permission): Role {
  return ROLES.find((r) => ROLE_PERMISSIONS[r].includes(permission)) ?? "admin";
}
