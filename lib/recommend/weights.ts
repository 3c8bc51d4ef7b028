// How much each factor counts. Weights are data: change them here (or pass `weights` to rankPlaybooks for an
// experiment, as bench/recommend.ts does) and every explanation follows, because the shown contribution of
// a factor is always weight × value.
//
// A playbook's raw score is Σ weight × value over the factors below. Each factor has a fixed value range
// (FACTOR_RANGES), so the raw score has a fixed minimum and maximum under a set of weights; the score shown
// is the raw score mapped linearly from [min, max] onto [0, 1]. Scores are therefore comparable between
// playbooks and incidents under the same weights, but they are not probabilities.

export const FACTOR_NAMES = [
  "diagnosis",
  "text_remedy",
  "selector_match",
  "history",
  "outcome_prior",
  "text_match",
  "severity_fit",
  "risk_penalty",
  "recency",
  "same_incident_failure",
  "readiness",
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];
export type Weights = Record<FactorName, number>;

/**
 * - diagnosis (0..1)              How likely the failure hypotheses this playbook addresses (its `addresses:`)
 *                                 are, given the incident's alerts, words, subject, recent changes and the notes
 *                                 of similar past incidents (diagnose.ts): the sum of their probabilities.
 *                                 The first question an SRE asks; it leads.
 * - text_remedy (-1..1)           What the incident's own words say about this remedy: "do not roll back",
 *                                 "the restart did not help" (against), "flushing the cache fixed it" (for).
 * - selector_match (0..1)         The playbook's `matches.labels` selector and `signalKinds` against the
 *                                 incident's and its signals' labels and kinds. No selector = 0.5 (neutral).
 * - history (-1..1)               Of the ~20 nearest past incidents (vector search) with a known outcome, the
 *                                 similarity²-weighted share this playbook fixed minus the share it failed on.
 *                                 The strongest evidence there is.
 * - outcome_prior (0..1)          Beta(1,1) posterior mean of the playbook's success rate on past incidents
 *                                 with the same signal kind(s): 0.5 without data, moves with every finished run.
 *
 *   "Fixed" and "failed" (score.ts runOutcome, also in the SQL of stats.ts): a failed run counts against; a
 *   succeeded run counts for, unless another state-changing playbook succeeded after it on the same incident
 *   (superseded: neutral) or it changes nothing and a state-changing playbook fixed that incident (it went
 *   along: neutral); a read-only playbook's fix counts PARAMS.readOnlyCredit. Rejected, expired, cancelled: neutral.
 * - text_match (0..1)             How close the playbook's name and description are to the incident's text
 *                                 (same embedder as similar incidents), relative to the other candidates:
 *                                 the closest 1, the median and below 0 (not naming the symptoms is no evidence against).
 *                                 The only cold-start signal that tells restart from scale-up from rollback
 *                                 when the selectors are alike; not in the original brief, kept visible.
 * - severity_fit (-1..1)          The playbook's declared `matches.severities` against the incident's
 *                                 severity: a narrow list that includes it > no list (0) > a list without it.
 * - risk_penalty (-1..0)          Risk and blast radius, weighed more heavily the lower the severity.
 * - recency (-1..1)               Like outcome_prior but decayed with a 14-day half-life: what worked lately.
 * - readiness (-1..0)             It cannot run here as things stand (readiness.ts): no connected agent for its
 *                                 Kubernetes steps, a secret not granted, no Prometheus for its verify step.
 * - same_incident_failure (-1..0) This playbook already failed on this very incident. Strong on purpose:
 *                                 one failure here outweighs a good history elsewhere.
 */
export const WEIGHTS: Readonly<Weights> = Object.freeze({
  diagnosis: 1,
  text_remedy: 0.8,
  selector_match: 0.1,
  history: 0.25,
  outcome_prior: 0.05,
  text_match: 0.05,
  severity_fit: 0.03,
  risk_penalty: 0.05,
  recency: 0.03,
  same_incident_failure: 0.6,
  readiness: 0.3,
});

export const FACTOR_RANGES: Readonly<Record<FactorName, readonly [number, number]>> = Object.freeze({
  diagnosis: [0, 1],
  text_remedy: [-1, 1],
  selector_match: [0, 1],
  history: [-1, 1],
  outcome_prior: [0, 1],
  text_match: [0, 1],
  severity_fit: [-1, 1],
  risk_penalty: [-1, 0],
  recency: [-1, 1],
  same_incident_failure: [-1, 0],
  readiness: [-1, 0],
});

/** Tunables of the individual factors (see score.ts). */
export const PARAMS = Object.freeze({
  /** Nearest past incidents asked from the vector search. */
  neighbours: 20,
  /** Pseudo-weight added to the denominator of history (one neighbour of similarity 0.5): thin evidence cannot give ±1. */
  historyShrink: 0.25,
  /**
   * Credit for a success of a read-only playbook (notify, page, diagnostics, verify) that is the only success
   * on an incident: the incident ended after it, but someone else did the fixing. In history and outcome_prior.
   */
  readOnlyCredit: 0.5,
  /** Half-life of the recency factor, in days. */
  recencyHalfLifeDays: 14,
  /** Pseudo-count added to the denominator of recency. */
  recencyShrink: 1,
});
