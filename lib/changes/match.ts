// Which changes bear on an incident, and how closely. Pure, so the rules are tested on their own:
//   "service"   the change names the incident's service or deployment (either name, in either field);
//   "namespace" the change is in the incident's namespace;
//   "org"       the change names no subject at all (a flag, a shared config), or the incident names none;
//   null        the change is about something else, or in another cluster.

export type MatchStrength = "service" | "namespace" | "org";
export const MATCH_RANK: Record<MatchStrength, number> = { service: 3, namespace: 2, org: 1 };

export type Subject = {
  service?: string | null;
  namespace?: string | null;
  deployment?: string | null;
  cluster?: string | null;
  labels?: Record<string, string>;
};
export type ChangeSubject = { service: string | null; namespace: string | null; deployment: string | null; cluster: string | null };

// Label names alerts and monitors commonly use for each part of the subject, most specific first.
const LABEL_NAMES = {
  service: ["service", "app", "app_kubernetes_io_name", "app.kubernetes.io/name", "job"],
  deployment: ["deployment", "kubernetes_deployment"],
  namespace: ["namespace", "kubernetes_namespace", "exported_namespace"],
  cluster: ["cluster", "k8s_cluster"],
} as const;

const norm = (v: string | null | undefined) => {
  const t = v?.trim().toLowerCase();
  return t ? t : null;
};

/** The subject's identity: explicit fields first, then its labels. */
export function resolveSubject(s: Subject): ChangeSubject {
  const label = (names: readonly string[]) => names.map((n) => s.labels?.[n]).find((v) => v?.trim()) ?? null;
  return {
    service: norm(s.service) ?? norm(label(LABEL_NAMES.service)),
    deployment: norm(s.deployment) ?? norm(label(LABEL_NAMES.deployment)),
    namespace: norm(s.namespace) ?? norm(label(LABEL_NAMES.namespace)),
    cluster: norm(s.cluster) ?? norm(label(LABEL_NAMES.cluster)),
  };
}

export function matchChange(subject: ChangeSubject, change: ChangeSubject): MatchStrength | null {
  const c = { service: norm(change.service), deployment: norm(change.deployment), namespace: norm(change.namespace), cluster: norm(change.cluster) };
  if (subject.cluster && c.cluster && subject.cluster !== c.cluster) return null;
  // A service is often deployed as a Deployment of the same name: either name on either side counts.
  const subjectNames = [subject.service, subject.deployment].filter((n): n is string => !!n);
  const changeNames = [c.service, c.deployment].filter((n): n is string => !!n);
  const sameNamespaceOrUnknown = !subject.namespace || !c.namespace || subject.namespace === c.namespace;
  if (sameNamespaceOrUnknown && changeNames.some((n) => subjectNames.includes(n))) return "service";
  if (subject.namespace && c.namespace === subject.namespace) return "namespace";
  if (!c.service && !c.deployment && !c.namespace) return "org";
  if (!subject.service && !subject.deployment && !subject.namespace) return "org";
  return null;
}

/** Minutes from the change to the reference time: positive before it, negative after. */
export const minutesBefore = (at: Date, reference: Date) => Math.round((reference.getTime() - at.getTime()) / 60_000);

/** "12 min before the first signal", "3 min after", "just before". */
export function describeOffset(minutes: number, what = "the first signal"): string {
  if (minutes === 0) return `at ${what}`;
  const abs = Math.abs(minutes);
  const span = abs < 120 ? `${abs} min` : `${Math.floor(abs / 60)} h ${abs % 60} min`;
  return `${span} ${minutes > 0 ? "before" : "after"} ${what}`;
}
