import { CopyButton } from "@/components/ui/copy-button";
import { formatTime } from "@/components/format-time";
import type { InstallCommands } from "@/lib/agents/install";

/** The one-time token and the install commands, shown once after a cluster is created or a token re-issued. */
export function TokenOutcome({ name, bootstrapToken, expiresAt, install }: { name: string; bootstrapToken: string; expiresAt: string; install: InstallCommands }) {
  const blocks: [string, string][] = [
    ["Helm", install.helm],
    ["Plain manifests", install.manifests],
    ["Outside a cluster (development)", install.local],
  ];
  return (
    <div className="space-y-3">
      <p>
        Bootstrap token for <strong>{name}</strong>. It works once, until {formatTime(expiresAt)}, and is not shown again: the agent trades it for its own key on its first start.
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="bootstrap-token" className="rounded border border-emerald-200 bg-white px-2 py-1 text-xs break-all text-slate-900 select-all">
          {bootstrapToken}
        </code>
        <CopyButton text={bootstrapToken} label="bootstrap token" />
      </div>
      {blocks.map(([title, text]) => (
        <div key={title}>
          <div className="flex items-center justify-between">
            <h3 className="text-xs font-semibold text-slate-700">{title}</h3>
            <CopyButton text={text} label={`${title} install command`} />
          </div>
          <pre data-testid={`install-${title.split(" ")[0]!.toLowerCase()}`} className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
            {text}
          </pre>
        </div>
      ))}
    </div>
  );
}
