// The kube-prometheus-stack alert label sets in test/fixtures/kube-prometheus-stack/alerts.json (see its
// README for where they come from). Read from the repository: nothing is fetched at run time.
import { fixture } from "@/test/fixtures";

export type KpsAlert = {
  alert: string;
  file: string;
  group: string;
  severity: string;
  /** The scrape target whose series the rule reads (a key of `targets`), null for vector()/absent(). */
  target: string | null;
  /** Labels of the series itself, before the scrape adds the target's. */
  series: Record<string, string>;
  by?: string[];
  without?: string[];
  description: string;
  /** The label set the alert reaches Alertmanager with. */
  labels: Record<string, string>;
};

export type KpsFixture = {
  source: { repo: string; path: string; commit: string; chart: string };
  targets: Record<string, { honorLabels: boolean; labels: Record<string, string> }>;
  alerts: KpsAlert[];
};

let cached: KpsFixture | undefined;

export function kpsFixture(): KpsFixture {
  cached ??= JSON.parse(fixture("kube-prometheus-stack/alerts.json").toString("utf8")) as KpsFixture;
  return cached;
}

/** The labels of the first fixture alert with this name (`nth` picks a later one). */
export function kpsAlert(alertname: string, nth = 0): Record<string, string> {
  const found = kpsFixture().alerts.filter((a) => a.alert === alertname)[nth];
  if (!found) throw new Error(`no ${alertname} #${nth} in the kube-prometheus-stack fixture`);
  return { ...found.labels };
}
