/** A duration for people: "45s", "12m 5s", "3h 20m", "2d 4h". Null, negative or NaN → the fallback. */
export function formatDuration(seconds: number | null | undefined, fallback = "—"): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return fallback;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const units: [number, string][] = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "m"],
    [1, "s"],
  ];
  // The two largest non-zero units are precise enough for an average.
  const parts: string[] = [];
  let rest = s;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !/^0\D$/.test(p)).join(" ");
}
