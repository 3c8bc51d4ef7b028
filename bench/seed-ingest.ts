// The org and tokens an ingest benchmark sends with: a demo org, an ingest token and a read token (to poll incidents).
// Call it once DATABASE_URL points at the target database: lib/db reads it when first imported.
export async function seedIngestOrg(): Promise<{ orgId: string; token: string; readToken: string }> {
  const { db } = await import("../lib/db");
  const { seedDemo } = await import("../lib/orgs/seed-demo");
  const { createApiToken } = await import("../lib/tokens/create-api-token");
  const { systemActor } = await import("../lib/context");
  const { org } = await seedDemo();
  const actor = systemActor("bench", org.id);
  const { token } = await createApiToken({ actor, input: { name: "bench", role: "operator", scopes: ["signals.ingest"], service: true } });
  const { token: readToken } = await createApiToken({ actor, input: { name: "bench-read", role: "viewer", scopes: ["incidents.read"], service: true } });
  await db.$disconnect();
  return { orgId: org.id, token, readToken };
}
