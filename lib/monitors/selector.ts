// A PromQL instant-vector selector (`name{label="v", other!="x", re=~"a|b"}`) parsed into matchers, so
// remote_write samples can be routed to the monitors whose query is such a selector. Queries that are
// more than a selector (functions, operators) are only evaluated by scanning Prometheus.
export type Matcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string; re?: RegExp };

const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

export function parseSelector(query: string): Matcher[] | null {
  const q = query.trim();
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{(.*)\})?$/s.exec(q);
  if (!m || (!m[1] && !m[2])) return null;
  const matchers: Matcher[] = m[1] ? [{ name: "__name__", op: "=", value: m[1] }] : [];
  const body = m[3] ?? "";
  let i = 0;
  const skipWs = () => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  while (true) {
    skipWs();
    if (i >= body.length) break;
    LABEL.lastIndex = i;
    const name = LABEL.exec(body)?.[0];
    if (!name) return null;
    i += name.length;
    skipWs();
    const op = (["=~", "!~", "!=", "="] as const).find((o) => body.startsWith(o, i));
    if (!op) return null;
    i += op.length;
    skipWs();
    const quote = body[i];
    if (quote !== '"' && quote !== "'") return null;
    let value = "";
    i++;
    while (i < body.length && body[i] !== quote) {
      if (body[i] === "\\" && i + 1 < body.length) {
        const next = body[i + 1]!;
        value += next === "n" ? "\n" : next === "t" ? "\t" : next;
        i += 2;
      } else value += body[i++];
    }
    if (body[i] !== quote) return null;
    i++;
    const matcher: Matcher = { name, op, value };
    if (op === "=~" || op === "!~") {
      try {
        matcher.re = new RegExp(`^(?:${value})$`);
      } catch {
        return null;
      }
    }
    matchers.push(matcher);
    skipWs();
    if (body[i] === ",") i++;
    else if (i < body.length) return null;
  }
  return matchers.length ? matchers : null;
}

/** One matcher against a label set (a missing label is the empty string, as in PromQL). */
export function matcherHolds(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return m.re!.test(v);
    case "!~":
      return !m.re!.test(v);
  }
}

export function matches(matchers: Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => matcherHolds(m, labels));
}

/** Stable identity of a series: sorted name=value pairs. */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",");
}
