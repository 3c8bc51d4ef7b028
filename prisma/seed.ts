// `npm run db:seed` (and `npm run up`): idempotent demo data.
import { db } from "@/lib/db";
import { ROLES } from "@/lib/authz/permissions";
import { DEMO_PASSWORD, demoEmail, seedDemo } from "@/lib/orgs/seed-demo";

const { org, created } = await seedDemo();
console.log(`seed: organization '${org.slug}'${created.length ? `, created ${created.length} demo user(s)` : " already seeded"}`);
console.log("demo logins (password: " + DEMO_PASSWORD + "):");
for (const role of ROLES) console.log(`  ${role.padEnd(8)} ${demoEmail(role)}`);
await db.$disconnect();
