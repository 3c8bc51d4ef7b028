// What applying an on-call configuration file would change, object by object (by name; silences by
// comment), and how: each change carries the lib/oncall call that makes it, in an order where every
// reference exists before it is used and nothing is deleted while something still refers to it.
import type { Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { splitChannelInput } from "@/lib/oncall/channel-config";
import { createChannel, deleteChannel, updateChannel } from "@/lib/oncall/manage-channels";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/oncall/manage-policies";
import { createRoute, deleteRoute, updateRoute } from "@/lib/oncall/manage-routes";
import { createSilence, expireSilence } from "@/lib/oncall/manage-silences";
import { createInhibitionRule, deleteInhibitionRule, updateInhibitionRule } from "@/lib/oncall/manage-inhibitions";
import { createSchedule, deleteSchedule, updateSchedule } from "@/lib/oncall/schedules/manage-schedules";
import type { Target } from "@/lib/oncall/schemas";
import type { FileTarget, Kind, OncallFile } from "@/lib/oncall/config/file-schema";
import type { Issue, LoadedFile } from "@/lib/oncall/config/load-file";
import { formatIssues } from "@/lib/oncall/config/load-file";
import { layerShape, loadCurrentState, storedMinutes, type CurrentState } from "@/lib/oncall/config/current-state";
import { diffLines } from "@/lib/oncall/config/diff";

export type ChangeAction = "create" | "update" | "delete";

/** Ids by name (people by email), filled in as the apply creates objects. */
export type ApplyContext = { actor: Actor; channel: Map<string, string>; schedule: Map<string, string>; policy: Map<string, string>; user: Map<string, string> };

export type PlannedChange = {
  kind: Kind;
  name: string;
  action: ChangeAction;
  /** What changes, for a person to read ("steps[1].afterMinutes: 5 → 10"); never a credential's value. */
  details: string[];
  /** Makes the change; returns a secret generated for it (a webhook channel's signing secret), shown once. */
  run: (ctx: ApplyContext) => Promise<{ secret?: string } | void>;
};

export type Plan = {
  orgId: string;
  changes: PlannedChange[];
  unchanged: { kind: Kind; name: string }[];
  notes: string[];
  /** The maps the apply starts from. */
  context: Omit<ApplyContext, "actor">;
};

const SINGULAR: Record<Kind, string> = { channels: "channel", schedules: "schedule", policies: "policy", routes: "route", silences: "silence", inhibitionRules: "inhibition rule" };
export const singular = (k: Kind) => SINGULAR[k];

const idOf = (map: Map<string, string>, name: string, what: string) => {
  const id = map.get(name);
  if (!id) throw new AppError("conflict", `${what} '${name}' does not exist (was it deleted during the apply?)`);
  return id;
};

function resolveTarget(t: FileTarget, ctx: ApplyContext): Target {
  const via = "via" in t && t.via ? { via: t.via.map((n) => idOf(ctx.channel, n, "channel")) } : {};
  if ("channel" in t) return { channel: idOf(ctx.channel, t.channel, "channel") };
  if ("user" in t) return { user: idOf(ctx.user, t.user, "member"), ...via };
  return { schedule: idOf(ctx.schedule, t.schedule, "schedule"), ...via };
}

/**
 * The changes that would make the organization match the file. Throws AppError(validation_failed) with
 * Issues (path and line) when the file names something that neither exists nor is declared in it.
 */
export async function planOncallConfig({ actor, loaded, now = new Date() }: { actor: Actor; loaded: LoadedFile; now?: Date }): Promise<Plan> {
  // Planning reads channel credentials (to tell whether they changed), so it needs what applying needs.
  assertCan(actor, "oncall.manage");
  const { file } = loaded;
  const state = await loadCurrentState(actor.orgId, now);
  const problems: Omit<Issue, "line">[] = [];
  const changes = { early: [] as PlannedChange[], main: [] as PlannedChange[], deletes: new Map<Kind, PlannedChange[]>() };
  const unchanged: Plan["unchanged"] = [];
  const notes: string[] = [];
  const prune = (kind: Kind) => file.prune && file[kind] !== undefined;
  const del = (kind: Kind, name: string, run: PlannedChange["run"]) => {
    const list = changes.deletes.get(kind) ?? [];
    list.push({ kind, name, action: "delete", details: [], run });
    changes.deletes.set(kind, list);
  };
  const compare = (kind: Kind, name: string, details: string[], run: PlannedChange["run"]) => {
    if (details.length) changes.main.push({ kind, name, action: "update", details, run });
    else unchanged.push({ kind, name });
  };

  // Names a reference may use: declared in the file, or existing and not about to be pruned.
  const available = (kind: "channels" | "schedules" | "policies", existing: string[]) =>
    new Set([...(file[kind] ?? []).map((o) => o.name), ...(prune(kind) ? [] : existing)]);
  const channelNames = available("channels", state.channels.map((c) => c.name));
  const scheduleNames = available("schedules", state.schedules.map((s) => s.name));
  const policyNames = available("policies", state.policies.map((p) => p.name));

  planChannels(file, state, { compare, problems, del, prune: prune("channels"), main: changes.main });
  planSchedules(file, state, { compare, problems, del, prune: prune("schedules"), main: changes.main });

  (file.policies ?? []).forEach((p, i) => {
    p.steps.forEach((s, j) =>
      s.targets.forEach((t, k) => {
        const at = ["policies", i, "steps", j, "targets", k];
        if ("channel" in t && !channelNames.has(t.channel)) problems.push({ path: [...at, "channel"], message: `no channel named '${t.channel}'` });
        if ("user" in t && !state.userIdByEmail.has(t.user)) problems.push({ path: [...at, "user"], message: `no member with the email ${t.user}` });
        if ("schedule" in t && !scheduleNames.has(t.schedule)) problems.push({ path: [...at, "schedule"], message: `no schedule named '${t.schedule}'` });
        if ("via" in t) (t.via ?? []).forEach((v, l) => channelNames.has(v) || problems.push({ path: [...at, "via", l], message: `no channel named '${v}'` }));
      }),
    );
    const want = {
      description: p.description ?? null,
      repeat: p.repeat,
      repeatAfterMinutes: storedMinutes(p.repeatAfterMinutes),
      steps: p.steps.map((s) => ({ afterMinutes: storedMinutes(s.afterMinutes), targets: s.targets })),
    };
    const input = (ctx: ApplyContext) => ({ ...p, steps: p.steps.map((s) => ({ afterMinutes: s.afterMinutes, targets: s.targets.map((t) => resolveTarget(t, ctx)) })) });
    const cur = state.policies.find((x) => x.name === p.name);
    if (!cur) {
      changes.main.push({
        kind: "policies",
        name: p.name,
        action: "create",
        details: [`${p.steps.length} step${p.steps.length === 1 ? "" : "s"}`],
        run: async (ctx) => void ctx.policy.set(p.name, (await createPolicy({ actor: ctx.actor, input: input(ctx) })).id),
      });
    } else compare("policies", p.name, diffLines(cur.shape, want), async (ctx) => void (await updatePolicy({ actor: ctx.actor, id: cur.id, input: input(ctx) })));
  });
  if (prune("policies")) for (const p of state.policies) if (!file.policies!.some((x) => x.name === p.name)) del("policies", p.name, (ctx) => deletePolicy({ actor: ctx.actor, id: p.id }));

  planRoutes(file, state, { compare, problems, del, prune: prune("routes"), main: changes.main, early: changes.early, policyNames });
  planInhibitions(file, state, { compare, problems, del, prune: prune("inhibitionRules"), main: changes.main });
  planSilences(file, state, { compare, del, prune: prune("silences"), main: changes.main, notes, owner: actor.label ?? `${actor.type}:${actor.id}`, now, unchanged });

  if (problems.length) {
    const issues = problems.map((p) => ({ ...p, line: loaded.lineOf(p.path) })).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new AppError("validation_failed", `the configuration refers to things that do not exist:\n${formatIssues(issues)}`, issues);
  }
  // Deletions last, each kind after the kinds that may refer to it.
  const deleteOrder: Kind[] = ["routes", "inhibitionRules", "silences", "policies", "schedules", "channels"];
  // The routes phase (early) may have scheduled the old default route's deletion already.
  const earlyNames = new Set(changes.early.filter((c) => c.action === "delete").map((c) => c.name));
  const deletes = deleteOrder.flatMap((k) => (changes.deletes.get(k) ?? []).filter((c) => !(k === "routes" && earlyNames.has(c.name))));
  const ordered = [...changes.main.filter((c) => c.kind === "channels" || c.kind === "schedules" || c.kind === "policies"), ...changes.early, ...changes.main.filter((c) => !["channels", "schedules", "policies"].includes(c.kind)), ...deletes];
  return {
    orgId: actor.orgId,
    changes: ordered,
    unchanged,
    notes,
    context: {
      channel: new Map(state.channels.map((c) => [c.name, c.id])),
      schedule: new Map(state.schedules.map((s) => [s.name, s.id])),
      policy: new Map(state.policies.map((p) => [p.name, p.id])),
      user: state.userIdByEmail,
    },
  };
}

type Helpers = {
  compare: (kind: Kind, name: string, details: string[], run: PlannedChange["run"]) => void;
  problems: Omit<Issue, "line">[];
  del: (kind: Kind, name: string, run: PlannedChange["run"]) => void;
  prune: boolean;
  main: PlannedChange[];
};

function planChannels(file: OncallFile, state: CurrentState, h: Helpers) {
  (file.channels ?? []).forEach((c, i) => {
    const cur = state.channels.find((x) => x.name === c.name);
    if (!cur) {
      h.main.push({
        kind: "channels",
        name: c.name,
        action: "create",
        details: [c.type],
        run: async (ctx) => {
          const created = await createChannel({ actor: ctx.actor, input: c });
          ctx.channel.set(c.name, created.id);
          // Generated here: the only moment anyone can see it.
          if (c.type === "webhook" && !c.signingSecret && "signingSecret" in created) return { secret: created.signingSecret };
        },
      });
      return;
    }
    if (cur.type !== c.type) {
      h.problems.push({ path: ["channels", i, "type"], message: `channel '${c.name}' is a ${cur.type} channel; a channel's type cannot change (give the ${c.type} channel another name)` });
      return;
    }
    const want = splitChannelInput(c, cur.secrets ?? {});
    const details = diffLines({ enabled: cur.enabled, ...cur.config }, { enabled: c.enabled, ...want.config });
    if (cur.secrets === null) details.push("credentials: cannot be decrypted with this server's key (was SECRETS_KEY changed?): saved again");
    else {
      const keys = [...new Set([...Object.keys(cur.secrets), ...Object.keys(want.secrets)])] as (keyof typeof want.secrets)[];
      const changed = keys.filter((k) => (cur.secrets![k] ?? "") !== (want.secrets[k] ?? ""));
      if (changed.length) details.push(`credentials changed: ${changed.sort().join(", ")}`);
    }
    h.compare("channels", c.name, details, async (ctx) => {
      const updated = await updateChannel({ actor: ctx.actor, id: cur.id, input: c });
      if ("signingSecret" in updated && updated.signingSecret) return { secret: updated.signingSecret };
    });
  });
  if (h.prune) for (const c of state.channels) if (!file.channels!.some((x) => x.name === c.name)) h.del("channels", c.name, (ctx) => deleteChannel({ actor: ctx.actor, id: c.id }));
}

function planSchedules(file: OncallFile, state: CurrentState, h: Helpers) {
  (file.schedules ?? []).forEach((s, i) => {
    s.layers.forEach((l, j) =>
      l.participants.forEach((email, k) => state.userIdByEmail.has(email) || h.problems.push({ path: ["schedules", i, "layers", j, "participants", k], message: `no member with the email ${email}` })),
    );
    const want = { timeZone: s.timeZone, description: s.description, layers: s.layers.map(layerShape) };
    const input = (ctx: ApplyContext) => ({ ...s, layers: s.layers.map((l) => ({ ...l, participants: l.participants.map((e) => idOf(ctx.user, e, "member")) })) });
    const cur = state.schedules.find((x) => x.name === s.name);
    if (!cur) {
      h.main.push({
        kind: "schedules",
        name: s.name,
        action: "create",
        details: [`${s.layers.length} layer${s.layers.length === 1 ? "" : "s"}, ${s.timeZone}`],
        run: async (ctx) => void ctx.schedule.set(s.name, (await createSchedule({ actor: ctx.actor, input: input(ctx) })).id),
      });
    } else h.compare("schedules", s.name, diffLines(cur.shape, want), async (ctx) => void (await updateSchedule({ actor: ctx.actor, id: cur.id, input: input(ctx) })));
  });
  if (h.prune) for (const s of state.schedules) if (!file.schedules!.some((x) => x.name === s.name)) h.del("schedules", s.name, (ctx) => deleteSchedule({ actor: ctx.actor, id: s.id }));
}

function sameNamed<T extends { name: string }>(rows: T[], kind: Kind, h: Helpers, name: string, path: (string | number)[]): T | undefined | null {
  const found = rows.filter((r) => r.name === name);
  if (found.length > 1) {
    h.problems.push({ path, message: `${found.length} ${kind === "routes" ? "routes" : "inhibition rules"} are named '${name}' in the organization: rename or delete all but one first` });
    return null;
  }
  return found[0];
}

function planRoutes(file: OncallFile, state: CurrentState, h: Helpers & { early: PlannedChange[]; policyNames: Set<string> }) {
  if (!file.routes) return;
  const routes = file.routes;
  const wantedDefault = routes.find((r) => r.isDefault)?.name;
  const currentDefault = state.routes.find((r) => r.isDefault);
  routes.forEach((r, i) => {
    if (!h.policyNames.has(r.policy)) h.problems.push({ path: ["routes", i, "policy"], message: `no escalation policy named '${r.policy}'` });
    const want = { position: i, matchers: r.matchers, policy: r.policy, isDefault: r.isDefault, enabled: r.enabled };
    const input = (ctx: ApplyContext) => ({ ...r, policy: idOf(ctx.policy, r.policy, "escalation policy"), position: i });
    const cur = sameNamed(state.routes, "routes", h, r.name, ["routes", i, "name"]);
    if (cur === null) return;
    if (!cur) {
      h.main.push({ kind: "routes", name: r.name, action: "create", details: [`position ${i}${r.isDefault ? ", default route" : ""} → ${r.policy}`], run: async (ctx) => void (await createRoute({ actor: ctx.actor, input: input(ctx) })) });
      return;
    }
    const details = diffLines(cur.shape, want);
    const run = async (ctx: ApplyContext) => void (await updateRoute({ actor: ctx.actor, id: cur.id, input: input(ctx) }));
    // The old default stops being the default before the new one becomes it (there is one per organization).
    if (details.length && cur.isDefault && !r.isDefault) h.early.push({ kind: "routes", name: r.name, action: "update", details, run });
    else h.compare("routes", r.name, details, run);
  });
  if (currentDefault && wantedDefault && currentDefault.name !== wantedDefault && !routes.some((r) => r.name === currentDefault.name)) {
    if (h.prune) h.early.push({ kind: "routes", name: currentDefault.name, action: "delete", details: ["the file names another default route"], run: (ctx) => deleteRoute({ actor: ctx.actor, id: currentDefault.id }) });
    else h.problems.push({ path: ["routes", routes.findIndex((r) => r.isDefault), "isDefault"], message: `route '${currentDefault.name}' is the organization's default route and the file does not declare it: declare it, or set prune: true` });
  }
  if (h.prune) for (const r of state.routes) if (!routes.some((x) => x.name === r.name)) h.del("routes", r.name, (ctx) => deleteRoute({ actor: ctx.actor, id: r.id }));
}

function planInhibitions(file: OncallFile, state: CurrentState, h: Helpers) {
  if (!file.inhibitionRules) return;
  const rules = file.inhibitionRules;
  rules.forEach((r, i) => {
    const cur = sameNamed(state.inhibitionRules, "inhibitionRules", h, r.name, ["inhibitionRules", i, "name"]);
    if (cur === null) return;
    if (!cur) {
      h.main.push({ kind: "inhibitionRules", name: r.name, action: "create", details: [], run: async (ctx) => void (await createInhibitionRule({ actor: ctx.actor, input: r })) });
      return;
    }
    const want = { sourceMatchers: r.sourceMatchers, targetMatchers: r.targetMatchers, equal: r.equal };
    h.compare("inhibitionRules", r.name, diffLines(cur.shape, want), async (ctx) => void (await updateInhibitionRule({ actor: ctx.actor, id: cur.id, input: r })));
  });
  if (h.prune) for (const r of state.inhibitionRules) if (!rules.some((x) => x.name === r.name)) h.del("inhibitionRules", r.name, (ctx) => deleteInhibitionRule({ actor: ctx.actor, id: r.id }));
}

/**
 * Silences have no name: the file's comment identifies them, among the silences an apply made (created
 * by the same actor label). Silences people made by hand are never changed or expired by an apply. A
 * silence is never edited in place: a changed one is expired and made again.
 */
function planSilences(
  file: OncallFile,
  state: CurrentState,
  h: Omit<Helpers, "problems"> & { notes: string[]; owner: string; now: Date; unchanged: Plan["unchanged"] },
) {
  if (!file.silences) return;
  const silences = file.silences;
  const ours = state.silences.filter((s) => s.createdBy === h.owner);
  for (const f of silences) {
    const cur = ours.find((s) => s.comment === f.comment);
    if (f.endsAt <= h.now) {
      if (cur) h.main.push({ kind: "silences", name: f.comment, action: "update", details: [`endsAt ${f.endsAt.toISOString()} has passed: expire it now`], run: async (ctx) => void (await expireSilence({ actor: ctx.actor, id: cur.id })) });
      else h.notes.push(`silence '${f.comment}' ended at ${f.endsAt.toISOString()}: nothing to do`);
      continue;
    }
    const create = async (ctx: ApplyContext) => void (await createSilence({ actor: ctx.actor, input: f }));
    if (!cur) {
      h.main.push({ kind: "silences", name: f.comment, action: "create", details: [`until ${f.endsAt.toISOString()}${f.recurrence ? ", weekly window" : ""}`], run: create });
      continue;
    }
    // Without startsAt in the file, the silence began whenever it was made: that is no change.
    const withStart = (shape: object, at: Date) => (f.startsAt ? { ...shape, startsAt: at.toISOString() } : shape);
    const details = diffLines(withStart(cur.shape, cur.startsAt), withStart({ matchers: f.matchers, endsAt: f.endsAt.toISOString(), recurrence: f.recurrence ?? null }, f.startsAt ?? cur.startsAt));
    h.compare("silences", f.comment, details.length ? [...details, "(expired and made again: silences are not edited in place)"] : [], async (ctx) => {
      await expireSilence({ actor: ctx.actor, id: cur.id });
      await create(ctx);
    });
  }
  if (h.prune) for (const s of ours) if (!silences.some((f) => f.comment === s.comment)) h.del("silences", s.comment, async (ctx) => void (await expireSilence({ actor: ctx.actor, id: s.id })));
}
