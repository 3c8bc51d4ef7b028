// `npm run db:seed` (and `npm run up`): idempotent demo data.
// `npm run db:seed -- --disable-demo-users` disables the demo accounts (do it once you have your own admin).
import { db } from "@/lib/db";
import { ROLES } from "@/lib/authz/permissions";
import { demoEmail, disableDemoUsers, seedDemo } from "@/lib/orgs/seed-demo";
import { activeDemoUsersLine, DEMO_PASSWORD, demoUsersWarning } from "@/lib/orgs/demo-users-notice";

async function main() {
  if (process.argv.includes("--disable-demo-users")) {
    const disabled = await disableDemoUsers();
    console.log(disabled.length ? `seed: disabled ${disabled.join(", ")}` : "seed: no enabled demo user left");
    return;
  }
  const { org, created, playbooks, activeDemoUsers } = await seedDemo();
  console.log(`seed: organization '${org.slug}'${created.length ? `, created ${created.length} demo user(s)` : " already seeded"}`);
  const failed = playbooks.filter((p) => "error" in p);
  console.log(`seed: playbook catalog synced (${playbooks.length - failed.length} ok${failed.length ? `, ${failed.length} failed` : ""})`);
  for (const f of failed) console.log(`  ✗ ${f.file}: ${"error" in f ? f.error : ""}`);
  if (activeDemoUsers.length) {
    console.log("demo logins (password: " + DEMO_PASSWORD + "):");
    for (const role of ROLES) if (activeDemoUsers.includes(demoEmail(role))) console.log(`  ${role.padEnd(8)} ${demoEmail(role)}`);
    for (const line of demoUsersWarning(activeDemoUsers)) console.warn(`warning: ${line}`);
  }
  console.log(activeDemoUsersLine(activeDemoUsers)); // read by `npm run up`
}

try {
  await main();
} catch (err) {
  // A refusal (demo users under NODE_ENV=production) is a message for the operator, not a stack trace.
  console.error(`seed: ${(err as Error).message}`);
  process.exitCode = 1;
}
await db.$disconnect();
