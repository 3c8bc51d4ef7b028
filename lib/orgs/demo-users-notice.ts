// What `npm run db:seed` and `npm run up` say about the demo users. No database access: up imports it, and
// learns which demo users can still sign in from the one line the seed prints (activeDemoUsersLine).
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "neuralops-demo";

const LINE = "seed: demo users with the published password:";

export function activeDemoUsersLine(emails: readonly string[]): string {
  return `${LINE} ${emails.join(", ") || "none"}`;
}

/** The emails in a line printed by activeDemoUsersLine(); undefined for any other line. */
export function parseActiveDemoUsersLine(line: string): string[] | undefined {
  if (!line.startsWith(LINE)) return undefined;
  const rest = line.slice(LINE.length).trim();
  return rest === "none" ? [] : rest.split(",").map((e) => e.trim()).filter(Boolean);
}

/** The warning for demo users that sign in with the published password (none: no warning). */
export function demoUsersWarning(emails: readonly string[]): string[] {
  if (emails.length === 0) return [];
  return [
    `DEMO USERS: ${emails.join(", ")} sign in with the published password '${DEMO_PASSWORD}'.`,
    "Anyone who can reach this server can sign in as admin. Before exposing it: sign in as the demo admin,",
    "invite yourself as an admin (Settings → Users) and accept the link, then run `npm run db:seed -- --disable-demo-users`.",
    "(DEMO_PASSWORD=<yours> before the first `npm run up` gives them your password instead of the published one.)",
  ];
}
