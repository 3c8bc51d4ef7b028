/** A timestamp rendered the same on server and client (UTC), with the machine-readable value in dateTime. */
export function formatTime(value: Date | string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function Time({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) {
  if (!value) return <span className="text-slate-500">{fallback}</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={d.toISOString()} className="whitespace-nowrap tabular-nums">
      {formatTime(d)}
    </time>
  );
}
