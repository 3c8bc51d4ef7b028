// A small bar chart of counts per hour (e.g. signals over the last day). 24-ish bars, so plain DOM is
// fine here; it renders on the server and needs no JavaScript. The table beside it is the text form.

export type HourlyCount = { hour: string; count: number };

const hourLabel = (iso: string) => `${iso.slice(11, 16)} UTC`;

export function HourlyBarChart({ data, label, unit = "signals" }: { data: HourlyCount[]; label: string; unit?: string }) {
  const max = Math.max(1, ...data.map((d) => d.count));
  const total = data.reduce((n, d) => n + d.count, 0);
  const peak = data.reduce<HourlyCount | null>((best, d) => (!best || d.count > best.count ? d : best), null);
  const description =
    data.length === 0
      ? `${label}: no data.`
      : `${label}: ${total} ${unit} from ${hourLabel(data[0]!.hour)} to ${hourLabel(data[data.length - 1]!.hour)}${peak && peak.count > 0 ? `, most (${peak.count}) in the hour starting ${hourLabel(peak.hour)}` : ""}.`;
  return (
    <figure className="m-0">
      <div role="img" aria-label={description} className="flex h-24 items-end gap-px border-b border-slate-300" data-testid="hourly-bars">
        {data.map((d) => (
          <div
            key={d.hour}
            title={`${hourLabel(d.hour)}: ${d.count} ${unit}`}
            className="group relative flex h-full min-w-0 flex-1 items-end"
          >
            <div
              className={`w-full rounded-t-sm ${d.count > 0 ? "bg-indigo-500 group-hover:bg-indigo-700" : "bg-slate-200"}`}
              style={{ height: d.count > 0 ? `${Math.max(4, (d.count / max) * 100)}%` : "2px" }}
            />
          </div>
        ))}
      </div>
      {data.length > 0 ? (
        <div className="mt-1 flex justify-between text-[11px] text-slate-500 tabular-nums" aria-hidden="true">
          <span>{data.length - 1} h ago</span>
          <span>max {max}/h</span>
          <span>now</span>
        </div>
      ) : null}
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Hour (UTC)</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.hour}>
              <td>{d.hour.slice(0, 16).replace("T", " ")}</td>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
