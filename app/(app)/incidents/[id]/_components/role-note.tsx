// Why a control is missing, instead of a page that silently has fewer buttons for some people.
import { minimumRole, type Permission } from "@/lib/authz/permissions";

export function RoleNote({ role, notes }: { role: string; notes: { permission: Permission; what: string }[] }) {
  if (!notes.length) return null;
  return (
    <ul className="space-y-1 text-sm text-slate-600" data-testid="role-notes">
      {notes.map((n) => (
        <li key={n.permission} data-testid="role-note">
          Your role ({role}) cannot {n.what}; {minimumRole(n.permission)}s and above can.
        </li>
      ))}
    </ul>
  );
}
