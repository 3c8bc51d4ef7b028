// Which points a preview and a scan read from Prometheus. A saved monitor must flag what its preview
// flagged, and a streaming detector's scores depend on where it started learning, so the first scan
// starts where the preview did (its window, handed over on save, or the same default) and every later
// scan continues exactly where the last one stopped: no point skipped, none learned twice. Kept pure
// so the property test (preview-scan.test.ts) can replay a monitor's scans against its preview.

/** Prometheus answers at most 11,000 steps per series and query_range. */
export const MAX_RANGE_STEPS = 11_000;
/**
 * At most this many steps per scan: the most a preview can show, so a first scan learns its whole
 * history at once, as the preview did. Smaller values (tests) make a monitor catch up over several
 * scans, in order, with the same result.
 */
export const MAX_STEPS_PER_SCAN = MAX_RANGE_STEPS;
/** The preview's default range, and the history a monitor's first scan learns from unless told otherwise. */
export const DEFAULT_HISTORY_SECONDS = 24 * 3600;

const alignDown = (t: number, stepMs: number) => Math.floor(t / stepMs) * stepMs;
const alignUp = (t: number, stepMs: number) => Math.ceil(t / stepMs) * stepMs;

/** The last `rangeSeconds` (at most MAX_RANGE_STEPS steps) up to the last whole step. */
export function previewWindow({ now, stepMs, rangeSeconds = DEFAULT_HISTORY_SECONDS }: { now: number; stepMs: number; rangeSeconds?: number }): { start: number; end: number } {
  const end = alignDown(now, stepMs);
  return { start: end - Math.min(rangeSeconds * 1000, MAX_RANGE_STEPS * stepMs), end };
}

/**
 * The next scan's query range, or null when no new step has passed since the last one.
 * `scannedUntil` is where the last scan stopped; for a monitor not scanned yet it is the start of the
 * history to learn from (the preview's window), or null for the default history.
 */
export function scanWindow({ scannedUntil, now, stepMs, maxSteps = MAX_STEPS_PER_SCAN }: { scannedUntil: number | null; now: number; stepMs: number; maxSteps?: number }): { start: number; end: number } | null {
  const latest = alignDown(now, stepMs);
  // On the step grid, so every scan asks Prometheus for the same timestamps a preview did.
  let start = alignUp(scannedUntil ?? previewWindow({ now, stepMs }).start, stepMs);
  // A monitor disabled for long resumes with at most what a preview could show (a gap in its data).
  start = Math.max(start, latest - MAX_RANGE_STEPS * stepMs);
  const end = Math.min(latest, start + maxSteps * stepMs);
  return start >= end ? null : { start, end };
}
