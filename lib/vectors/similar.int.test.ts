// Similar past incidents end to end: signals → incidents → (redacted) embeddings → nearest neighbours,
// with the playbooks run on them and how those runs ended.
import { describe, expect, it, onTestFinished } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { ingestSignals } from "@/lib/incidents/ingest-signals";
import { embedObjects } from "@/lib/vectors/embed-objects";
import { similarIncidents } from "@/lib/vectors/similar-incidents";
import { embedderFromEnv } from "@/lib/vectors/openai-embedder";
import { createLocalEmbedder } from "@/lib/vectors/local-embedder";
import { uploadPlaybook } from "@/lib/playbooks/save-playbook";
import { makeActor, makeOrg } from "@/test/factories";
import { playbookYaml } from "@/test/playbook-fixtures";

async function incident(actor: Actor, service: string, title: string, description: string, at: Date) {
  const r = await ingestSignals({
    actor,
    signals: [{ kind: "alert", fingerprint: randomUUID(), startsAt: at, status: "firing", title, labels: { alertname: title.replace(/\W/g, ""), service }, annotations: { summary: title, description }, severity: "critical", source: "alertmanager" }],
  });
  return r.openedIncidents[0]!;
}

async function runOn(admin: Actor, incidentId: string, playbook: string, status: "succeeded" | "failed") {
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: admin.orgId, playbook: { name: playbook } } });
  await db.run.create({
    data: { orgId: admin.orgId, playbookVersionId: version.id, playbookName: playbook, incidentId, status, risk: "low", requiredApprovals: 1, params: {}, requestedById: "user:x", requestedByType: "user", requestedByLabel: "x", finishedAt: new Date() },
  });
}

describe("similar incidents", () => {
  it("finds the look-alike past incident and shows what was run on it and how it ended", async () => {
    const org = await makeOrg("similar");
    const admin = await makeActor(org.id, "admin");
    for (const name of ["restart-deployment", "clear-cache"]) await uploadPlaybook({ actor: admin, input: { source: playbookYaml(name, "low", [{ id: "w", action: "wait", with: { duration: "1s" } }]) } });
    const day = 24 * 3600_000;
    const oldOom = await incident(admin, "checkout", "Checkout pods OOMKilled", "checkout-7d9f8 CrashLoopBackOff, OOMKilled after deploy, memory limit exceeded", new Date(Date.now() - 9 * day));
    const oldDisk = await incident(admin, "db", "Disk almost full on db-1", "/var/lib/postgresql at 97% on db-1, WAL growing", new Date(Date.now() - 8 * day));
    await runOn(admin, oldOom, "restart-deployment", "succeeded");
    await runOn(admin, oldOom, "clear-cache", "failed");
    const now = await incident(admin, "checkout", "Checkout OOMKilled again", "checkout-5c4b CrashLoopBackOff: OOMKilled, memory limit 512Mi", new Date());
    const later = await incident(admin, "checkout", "Checkout OOMKilled (future)", "checkout OOMKilled CrashLoopBackOff memory", new Date(Date.now() + day));
    await embedObjects("incident", [oldOom, oldDisk, later]);

    const res = await similarIncidents({ actor: admin, id: now, k: 5 });
    expect(res.backend).toBe("memory"); // Debian's PostgreSQL 15: no pgvector
    const ids = res.items.map((i) => i.incident.id);
    expect(ids[0]).toBe(oldOom);
    expect(ids).not.toContain(now); // not itself
    expect(ids).not.toContain(later); // only past incidents
    const top = res.items[0]!;
    expect(top.similarity).toBeGreaterThan(res.items.find((i) => i.incident.id === oldDisk)?.similarity ?? 0);
    expect(top.runs.map((r) => [r.playbookName, r.status])).toEqual([
      ["restart-deployment", "succeeded"],
      ["clear-cache", "failed"],
    ]);
    // The incident's own vector was computed on demand (its embedding job had not run) and stored.
    expect(await db.embedding.count({ where: { objectId: now } })).toBe(1);
  });

  it("embeds only redacted text, through an OpenAI-compatible endpoint when one is configured", async () => {
    const inputs: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const { input } = JSON.parse(body) as { input: string[] };
        inputs.push(...input);
        const local = createLocalEmbedder({ dim: 64 });
        void local.embed(input).then((vs) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ object: "list", model: "stub", data: vs.map((v, index) => ({ object: "embedding", index, embedding: [...v] })) }));
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));

    const org = await makeOrg("similar-openai");
    const admin = await makeActor(org.id, "admin");
    const id = await incident(admin, "api", "Login failures for jane.doe@example.com", "from 203.0.113.9 with token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", new Date());
    const remote = embedderFromEnv({ EMBEDDINGS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, EMBEDDINGS_MODEL: "stub" });
    expect(await embedObjects("incident", [id], { embedder: remote })).toEqual({ embedded: 1, unchanged: 0 });
    expect(inputs).toHaveLength(1);
    for (const secret of ["jane.doe@example.com", "203.0.113.9", "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"]) expect(inputs[0]).not.toContain(secret);
    expect(inputs[0]).toMatch(/<email:[0-9a-f]{8}>/);
    const row = await db.embedding.findUniqueOrThrow({ where: { kind_objectId: { kind: "incident", objectId: id } } });
    expect(row.embedder).toBe(remote.id);
    expect(row.dim).toBe(64);
    // Unchanged text under the same embedder is not sent again.
    expect(await embedObjects("incident", [id], { embedder: remote })).toEqual({ embedded: 0, unchanged: 1 });
    expect(inputs).toHaveLength(1);
  });
});
