// `npm run db:seed` (and `npm run up`): idempotent demo data.
import { db } from "@/lib/db";
import { ROLES } from "@/lib/authz/permissions";
import { DEMO_PASSWORD, demoEmail, seedDemo } from "@/lib/orgs/seed-demo";

const { org, created, playbooks } = await seedDemo();
console.log(`seed: organization '${org.slug}'${created.length ? `, created ${created.length} demo user(s)` : " already seeded"}`);
const failed = playbooks.filter((p) => "error" in p);
console.log(`seed: playbook catalog synced (${playbooks.length - failed.length} ok${failed.length ? `, ${failed.length} failed` : ""})`);
for (const f of failed) console.log(`  ✗ ${f.file}: ${"error" in f ? f.error : ""}`);
console.log("demo logins (password: " + DEMO_PASSWORD + "):");
for (const role of ROLES) console.log(`  ${role.padEnd(8)} ${demoEmail(role)}`);
await db.$disconnect();
