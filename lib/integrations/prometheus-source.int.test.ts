import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { getPrometheusSource, prometheusConnection, setPrometheusSource } from "@/lib/integrations/prometheus-source";
import { GET, PUT } from "@/app/api/v1/integrations/prometheus/route";
import { makeActor, makeOrg } from "@/test/factories";

const PASSWORD = "hunter2-S3cret-pw";

async function adminWithToken() {
  const org = await makeOrg("promsrc");
  const admin = await makeActor(org.id, "admin");
  const { token } = await createApiToken({ actor: admin, input: { name: "admin", role: "admin" } });
  const call = (method: "GET" | "PUT", body?: unknown) =>
    (method === "GET" ? GET : PUT)(
      new Request("http://localhost/api/v1/integrations/prometheus", {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
      { params: Promise.resolve({}) },
    );
  return { org, admin, call };
}

/** Everything written to the console while `fn` runs. */
async function captureLogs(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
  await fn();
  return lines.join("\n");
}

afterEach(() => vi.restoreAllMocks());

describe("Prometheus source URL with user:password@", () => {
  it("is refused with 400 pointing at the credential fields; the password is nowhere: response, stored row, audit, logs", async () => {
    const { org, call } = await adminWithToken();
    let body = "";
    let status = 0;
    const logs = await captureLogs(async () => {
      const res = await call("PUT", { url: `https://admin:${PASSWORD}@prom.example.com:9090`, authType: "none" });
      status = res.status;
      body = await res.text();
    });
    expect(status).toBe(400);
    expect(body).toMatch(/credential|basic/i);
    expect(body).not.toContain(PASSWORD);
    expect(logs).not.toContain(PASSWORD);
    expect(await db.prometheusSource.findUnique({ where: { orgId: org.id } })).toBeNull();
    const audit = await db.auditEvent.findMany({ where: { orgId: org.id } });
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);

    const got = await call("GET");
    expect(got.status).toBe(200);
    expect(await got.text()).not.toContain(PASSWORD);
  });

  it("the same URL with the credentials in their fields is saved, and only the host shows", async () => {
    const { org, admin, call } = await adminWithToken();
    const res = await call("PUT", { url: "https://prom.example.com:9090/prefix", authType: "basic", username: "admin", secret: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(PASSWORD);
    expect(JSON.stringify(await db.auditEvent.findMany({ where: { orgId: org.id } }))).not.toContain(PASSWORD);
    expect(await getPrometheusSource({ actor: admin })).toEqual({ url: "https://prom.example.com:9090/prefix", authType: "basic", username: "admin", hasSecret: true });
    expect(await prometheusConnection(org.id)).toEqual({ baseUrl: "https://prom.example.com:9090/prefix", auth: { basic: { username: "admin", password: PASSWORD } } });
  });

  it("a user name alone in the URL is refused too", async () => {
    const { admin } = await adminWithToken();
    await expect(setPrometheusSource({ actor: admin, input: { url: "https://token@prom.example.com" } })).rejects.toThrow(/credential/i);
  });

  it("a row saved before this check never shows its password (API and page read getPrometheusSource)", async () => {
    const { org, admin, call } = await adminWithToken();
    await db.prometheusSource.create({ data: { orgId: org.id, url: `https://admin:${PASSWORD}@prom.example.com/`, authType: "none" } });
    expect((await getPrometheusSource({ actor: admin }))?.url).toBe("https://prom.example.com/");
    expect(await (await call("GET")).text()).not.toContain(PASSWORD);
  });
});
