// The failure hypotheses the recommender diagnoses, and that playbooks declare they address
// (`addresses: [bad_release]` in the playbook YAML). Renaming one breaks signed playbooks: add, never rename.
export const HYPOTHESES = [
  "bad_release",
  "bad_flag",
  "resource_leak",
  "capacity",
  "node_fault",
  "stuck_pod",
  "cache_poisoning",
  "dependency_outage",
  "owner_action",
  "awareness",
  "recovered",
  "unclear",
] as const;
export type Hypothesis = (typeof HYPOTHESES)[number];

/** What each hypothesis means, in an SRE's words (the diagnosis shown first on the incident page). */
export const HYPOTHESIS_LABEL: Record<Hypothesis, string> = {
  bad_release: "a bad release",
  bad_flag: "a feature flag or config change",
  resource_leak: "a leak or a wedged process (memory, connections, threads)",
  capacity: "more load than capacity",
  node_fault: "a faulty node",
  stuck_pod: "a stuck pod",
  cache_poisoning: "stale or poisoned cache entries",
  dependency_outage: "an outage of a dependency or provider",
  owner_action: "something only its owners can fix",
  awareness: "something people need to know about, with nothing to run",
  recovered: "a fix that is already out and needs confirming",
  unclear: "an unclear cause that needs evidence first",
};

