// What the alerts behind an incident say about themselves: Alertmanager's description, runbook and the
// Prometheus graph that fired them. Annotations are written by whoever can post alerts, so a URL becomes a
// link only when it is http(s): `javascript:` or `data:` in an href would run in the viewer's session.

/** The URL itself (normalized) when it is an absolute http(s) URL, else null. */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/** A URL from an annotation: `href` is null when it must not be a link (shown as text instead). */
export type AlertLink = { href: string | null; text: string };

export type AlertContext = {
  descriptions: string[];
  runbooks: AlertLink[];
  sources: AlertLink[];
};

const MAX_EACH = 3;

function link(value: string): AlertLink {
  return { href: safeHttpUrl(value), text: value };
}

/**
 * The distinct descriptions, runbook URLs and generator URLs of the signals, newest signal first, at most
 * three of each (a group of alerts usually repeats the same ones).
 */
export function alertContext(signals: readonly { annotations: unknown; startsAt: Date }[]): AlertContext {
  const descriptions = new Set<string>();
  const runbooks = new Set<string>();
  const sources = new Set<string>();
  const newestFirst = [...signals].sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  for (const s of newestFirst) {
    const a = s.annotations && typeof s.annotations === "object" ? (s.annotations as Record<string, unknown>) : {};
    const add = (set: Set<string>, v: unknown) => {
      if (typeof v === "string" && v.trim() !== "" && set.size < MAX_EACH) set.add(v.trim());
    };
    add(descriptions, a.description ?? a.message);
    add(runbooks, a.runbook_url ?? a.runbook);
    add(sources, a.generatorURL);
  }
  return { descriptions: [...descriptions], runbooks: [...runbooks].map(link), sources: [...sources].map(link) };
}
