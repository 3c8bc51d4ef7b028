"use client";

// Every timestamp on every page: the browser's time zone once hydrated, UTC on hover (title). The server
// cannot know the viewer's zone, so it renders UTC and the first client render matches it (no hydration
// mismatch); useSyncExternalStore then switches to local time.
import { useSyncExternalStore } from "react";
import { formatLocalTime, formatTime } from "./format-time";

const noSubscribe = () => () => {};

function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

export function Time({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) {
  const hydrated = useHydrated();
  if (!value) return <span className="text-slate-500">{fallback}</span>;
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return <span className="text-slate-500">{fallback}</span>;
  const utc = formatTime(d);
  return (
    <time dateTime={d.toISOString()} title={utc} className="whitespace-nowrap tabular-nums" data-local={hydrated ? "" : undefined}>
      {hydrated ? formatLocalTime(d) : utc}
    </time>
  );
}
